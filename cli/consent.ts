import * as readline from "readline/promises";
import type { ConsentRequest } from "../deploy/workflow";
import type { OptionSpecs } from "./args";

/** `--yes` and `--dry-run`: the consent options of every command that may destroy (`up`, `destroy`). */
export const CONSENT_OPTIONS: OptionSpecs = {
  yes: { type: "boolean", short: "y", description: "confirm destroys and replaces without asking" },
  "dry-run": { type: "boolean", description: "plan and run the preflight only; change nothing" },
};

/**
 * The consent of a CLI run: `--yes` gives it; otherwise it is asked on a terminal — `destroy` by
 * typing the environment name, `up` by typing "yes" — and refused without one (CI, pipes).
 */
export function cliConsent(yes: boolean): (request: ConsentRequest) => Promise<boolean> {
  return async (request) => {
    const what =
      `${request.changes.length} resource(s)` + (request.unprotect.length ? ` after lifting the protection of ${request.unprotect.length} VM(s)` : "");
    if (yes) {
      console.error(`--yes: ${request.action === "destroy" ? "destroying" : "destroying or replacing"} ${what} of ${request.env}.`);
      return true;
    }
    if (!process.stdin.isTTY) {
      console.error(`${request.action} ${request.env} destroys or replaces ${what} and there is no terminal to ask: pass --yes to confirm.`);
      return false;
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      if (request.action === "destroy") {
        const answer = await rl.question(`This destroys ${what} of ${request.env}. Type the environment name (${request.env}) to confirm: `);
        return answer.trim() === request.env;
      }
      const answer = await rl.question(`This destroys or replaces ${what} of ${request.env}. Type "yes" to apply: `);
      return answer.trim() === "yes";
    } finally {
      rl.close();
    }
  };
}
