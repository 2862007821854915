import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { CONSENT_OPTIONS, cliConsent } from "../consent";
import { TARGET_OPTIONS } from "../target-option";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk up <env>`: synthesise, plan and apply an environment. */
export const upCommand: Command = {
  name: "up",
  summary: "deploy an environment (plan, then apply when something changed)",
  args: { ...ENV_ARGUMENT, options: { ...TARGET_OPTIONS, ...CONSENT_OPTIONS } },
  description: `Synthesises environments/<env>.yaml, plans it and applies the plan when it changes anything,
then prints every VM (name, id, node, IPv4) and a summary. It also lists orphans: guests in the
environment's pool (or vmIdRange) that the Terraform state does not record.

When the plan destroys or replaces anything, up lists those resources, checks what Proxmox VE
would refuse (see \`destroy --help\`) and asks on a terminal; without one it refuses unless --yes.

Target: the Proxmox VE in PROXMOX_VE_ENDPOINT (credentials from PROXMOX_VE_API_TOKEN or
PROXMOX_VE_USERNAME/PROXMOX_VE_PASSWORD); a preflight checks it first (see \`doctor --help\`).
When PROXMOX_VE_ENDPOINT is unset, the embedded PVE API simulator serves dev-stage environments on
127.0.0.1 and keeps its state in .state/sim/, so a second run shows "no changes"; other stages
need --sim (PROXMOX_CDK_TARGET=sim in scripts), and fail otherwise.

Example: proxmox-cdk up dev`,
  async run(args) {
    const env = envArgument(args, "up");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { up } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const { printResult } = require("../print-result") as typeof import("../print-result");
    const dryRun = args.flags["dry-run"] === true;
    const result = await up({ root: projectRoot(), env, sim: args.flags.sim === true, consent: cliConsent(args.flags.yes === true), dryRun });
    printResult(result, dryRun ? `up ${env} (dry run)` : `up ${env}`);
    return 0;
  },
};
