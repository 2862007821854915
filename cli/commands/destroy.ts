import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { CONSENT_OPTIONS, cliConsent } from "../consent";
import { TARGET_OPTIONS } from "../target-option";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk destroy <env>`: remove everything the environment created. */
export const destroyCommand: Command = {
  name: "destroy",
  summary: "destroy every resource of an environment (asks first)",
  args: {
    ...ENV_ARGUMENT,
    options: {
      ...TARGET_OPTIONS,
      ...CONSENT_OPTIONS,
      unprotect: {
        type: "boolean",
        description: "lift the protection of protected VMs (prod) first — an apply that changes only `protection` — then destroy",
      },
    },
  },
  description: `Plans the destruction of everything environments/<env>.yaml created, lists it, and checks first
what Proxmox VE would refuse to delete (a VM with protection, a locked VM, a template that linked
clones still use, an HA-managed VM without purge): if anything, it stops before touching anything,
naming each resource and the fix — no environment is left half destroyed.

Consent: on a terminal, type the environment name to confirm; without one (CI), pass --yes.
Target: see \`up --help\`.`,
  async run(args) {
    const env = envArgument(args, "destroy");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { destroy } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const { printResult } = require("../print-result") as typeof import("../print-result");
    const dryRun = args.flags["dry-run"] === true;
    const result = await destroy({
      root: projectRoot(),
      env,
      sim: args.flags.sim === true,
      consent: cliConsent(args.flags.yes === true),
      dryRun,
      unprotect: args.flags.unprotect === true,
    });
    printResult(result, dryRun ? `destroy ${env} (dry run)` : `destroy ${env}`);
    return 0;
  },
};
