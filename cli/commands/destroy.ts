import { destroy } from "../../deploy/workflow";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { cliConsent } from "../consent";
import { printResult } from "../print-result";
import { projectRoot } from "../project-root";

/** `proxmox-cdk destroy <env>`: remove everything the environment created. */
export const destroyCommand: Command = {
  name: "destroy",
  summary: "destroy every resource of an environment (asks first)",
  help: `Usage: proxmox-cdk destroy <env> [--yes] [--dry-run] [--unprotect]

Plans the destruction of everything environments/<env>.yaml created, lists it, and checks first
what Proxmox VE would refuse to delete (a VM with protection, a locked VM, a template that linked
clones still use, an HA-managed VM without purge): if anything, it stops before touching anything,
naming each resource and the fix — no environment is left half destroyed.

Consent: on a terminal, type the environment name to confirm; without one (CI), pass --yes.

Options:
  --yes         confirm without asking
  --dry-run     plan and run the preflight only; change nothing
  --unprotect   lift the protection of protected VMs (prod) first — an apply that changes only
                \`protection\` — then destroy`,
  booleanFlags: ["yes", "dry-run", "unprotect"],
  async run(args) {
    const env = envArgument(args, "destroy");
    await ensureCliToolchain();
    const consent = cliConsent(args.flags.yes === true);
    const dryRun = args.flags["dry-run"] === true;
    printResult(await destroy({ root: projectRoot(), env, consent, dryRun, unprotect: args.flags.unprotect === true }), dryRun ? `destroy ${env} (dry run)` : `destroy ${env}`);
    return 0;
  },
};
