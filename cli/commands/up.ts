import { up } from "../../deploy/workflow";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { cliConsent } from "../consent";
import { printResult } from "../print-result";
import { projectRoot } from "../project-root";

/** `proxmox-cdk up <env>`: synthesise, plan and apply an environment. */
export const upCommand: Command = {
  name: "up",
  summary: "deploy an environment (plan, then apply when something changed)",
  help: `Usage: proxmox-cdk up <env> [--yes] [--dry-run]

Synthesises environments/<env>.yaml, plans it and applies the plan when it changes anything,
then prints every VM (name, id, node, IPv4) and a summary. It also lists orphans: guests in the
environment's pool (or vmIdRange) that the Terraform state does not record.

When the plan destroys or replaces anything, up lists those resources, checks what Proxmox VE
would refuse (see \`destroy --help\`) and asks on a terminal; without one it refuses unless --yes.

Options:
  --yes       confirm destroys and replaces without asking
  --dry-run   plan only; change nothing

Target: the Proxmox VE in PROXMOX_VE_ENDPOINT (credentials from PROXMOX_VE_API_TOKEN or
PROXMOX_VE_USERNAME/PROXMOX_VE_PASSWORD). When PROXMOX_VE_ENDPOINT is unset, the embedded PVE API
simulator serves the run on 127.0.0.1 and keeps its state in .state/sim/, so a second run shows
"no changes".

Example: proxmox-cdk up dev`,
  booleanFlags: ["yes", "dry-run"],
  async run(args) {
    const env = envArgument(args, "up");
    await ensureCliToolchain();
    const dryRun = args.flags["dry-run"] === true;
    printResult(await up({ root: projectRoot(), env, consent: cliConsent(args.flags.yes === true), dryRun }), dryRun ? `up ${env} (dry run)` : `up ${env}`);
    return 0;
  },
};
