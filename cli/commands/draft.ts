import type { Planner } from "../../ai/draft";
import { requestProblem } from "../../ai/draft-messages";
import { ChatModel, DEFAULT_MODEL, ollamaChatModel } from "../../ai/ollama-chat";
import { EXPLAIN_LEVELS, ExplainLevel, loadPrompts } from "../../ai/prompt-library";
import { loadSiteFacts } from "../../ai/site-facts";
import { terminalSafe } from "../../ai/terminal-text";
import { OptionSpecs, ParsedArgs, stringFlag } from "../args";
import { Command, UsageError } from "../command";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** What the draft command uses from the outside world; tests replace parts of it. */
export interface DraftCommandDeps {
  /** @default projectRoot() */
  readonly root?: () => string;
  /** Plan step; null skips it. @default workflowPlanner() after ensureToolchain */
  readonly planner?: Planner | null;
  /** @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
  /** Output lines. @default console.log */
  readonly log?: (line: string) => void;
  /** Stream replies and show progress. @default process.stderr.isTTY */
  readonly progress?: boolean;
}

function intFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number ${min}..${max}, got "${raw}".`);
  return n;
}

/** The options of `draft`, declared once (parser and `--help`). */
const OPTIONS: OptionSpecs = {
  name: { type: "string", valueName: "ENV", description: "environment name (default: the model's choice)" },
  from: { type: "string", valueName: "ENV", description: "site facts from environments/<ENV>.yaml (default: dev, else the first spec)" },
  "ssh-key": { type: "string", valueName: "FILE.pub", description: "use the keys of this public key file instead of the --from ones" },
  user: { type: "string", valueName: "NAME", description: "login user instead of the --from one" },
  model: { type: "string", valueName: "NAME", description: `Ollama model (default: PROXMOX_CDK_MODEL, else ${DEFAULT_MODEL}; see \`doctor\`)` },
  timeout: { type: "string", valueName: "SECONDS", description: "deadline of each model call (default 120)" },
  "num-ctx": { type: "string", valueName: "TOKENS", description: "context window asked of Ollama (default 8192)" },
  "repair-rounds": { type: "string", valueName: "N", description: "repair rounds after the first answer (default 3)" },
  explain: { type: "string", valueName: "LEVEL", description: `then explain the environment: ${EXPLAIN_LEVELS.join(" | ")}` },
  force: { type: "boolean", description: "replace an existing environments/<name>.yaml" },
  "no-plan": { type: "boolean", description: "write without planning" },
};

const DESCRIPTION = `Drafts environments/<name>.yaml from a plain-language description with a local Ollama model.
The model only fills the environment spec (its JSON Schema constrains the answer); the answer is
validated, checked against the site facts and the policy pack, and repaired with the exact problems
fed back, before anything is written. Then the environment is planned (see \`plan --help\`).
The description is data for the model, never instructions: a request to open SSH to the world or
to switch the firewall off ends in policy findings and nothing written.

Site facts (copied, never invented): nodes, images, login user and SSH keys come from an existing
environment (--from), so a request cannot add a key or an image.

Ollama: OLLAMA_HOST (default http://127.0.0.1:11434). Check the setup with \`proxmox-cdk doctor\`.
Besides the shared codes below, draft refines failure: 1 no clean spec after the repair rounds
(answers kept in .state/drafts/) or the plan failed; 3 Ollama failed (unreachable, model not pulled,
timeout, context too long); 4 the file exists (use --force).

Example: proxmox-cdk draft "three web servers behind a bastion, postgres only reachable from web, prod" --name shop`;

/** Builds the `draft` command around its dependencies. */
export function createDraftCommand(deps: DraftCommandDeps = {}): Command {
  return {
    name: "draft",
    summary: "draft an environment spec from a description with a local Ollama model",
    args: { usage: '"<description of the environment>"', maxPositionals: Number.POSITIVE_INFINITY, options: OPTIONS },
    description: DESCRIPTION,
    async run(args) {
      const request = args.positionals.join(" ");
      const problem = requestProblem(request);
      if (problem) throw new UsageError(`draft: ${problem}.`);
      const explain = stringFlag(args, "explain");
      if (explain !== undefined && !EXPLAIN_LEVELS.includes(explain as ExplainLevel)) {
        throw new UsageError(`--explain must be one of ${EXPLAIN_LEVELS.join(", ")}, got "${explain}".`);
      }
      const name = stringFlag(args, "name");
      if (name !== undefined && !/^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$/.test(name)) {
        throw new UsageError(`--name "${name}" is not an environment name: lowercase letters, digits and -, starting with a letter.`);
      }
      const out = deps.log ?? ((l: string) => console.log(l));
      const progress = deps.progress ?? process.stderr.isTTY === true;
      let progressLine = false;
      const log = (line: string) => {
        if (progressLine) process.stderr.write("\n");
        progressLine = false;
        out(terminalSafe(line));
      };
      const onProgress = (chars: number) => {
        progressLine = true;
        process.stderr.write(`\r  receiving the answer: ${chars} characters`);
      };
      const root = (deps.root ?? projectRoot)();
      const model: ChatModel = ollamaChatModel({
        model: stringFlag(args, "model"),
        timeoutMs: intFlag(args, "timeout", 120, 1, 3600) * 1000,
        numCtx: intFlag(args, "num-ctx", 8192, 2048, 1_048_576),
        stream: progress,
        environment: deps.environment,
      });
      const facts = loadSiteFacts(root, { from: stringFlag(args, "from"), sshKeyFile: stringFlag(args, "ssh-key"), user: stringFlag(args, "user") });
      // ai/draft reaches deploy/ and the generated bindings: loaded only when a draft runs.
      const { draft, workflowPlanner } = require("../../ai/draft") as typeof import("../../ai/draft");
      let planner: Planner | null = args.flags["no-plan"] ? null : deps.planner === undefined ? workflowPlanner() : deps.planner;
      if (planner && deps.planner === undefined) {
        const plan = planner;
        planner = async (r, env, l) => {
          await ensureCliToolchain();
          return plan(r, env, l);
        };
      }
      const outcome = await draft({
        root,
        request,
        model,
        prompts: loadPrompts(),
        facts,
        name,
        repairRounds: intFlag(args, "repair-rounds", 3, 0, 10),
        force: args.flags.force === true,
        planner,
        explain: explain as ExplainLevel | undefined,
        log,
        onProgress: progress ? onProgress : undefined,
      });
      if (progressLine) process.stderr.write("\n");
      return outcome.exitCode;
    },
  };
}

/** `proxmox-cdk draft "<request>"`. */
export const draftCommand: Command = createDraftCommand();
