import { up } from "../../deploy/workflow";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { printResult } from "../print-result";
import { projectRoot } from "../project-root";

/** `proxmox-cdk up <env>`: synthesise, plan and apply an environment. */
export const upCommand: Command = {
  name: "up",
  summary: "deploy an environment (plan, then apply when something changed)",
  help: `Usage: proxmox-cdk up <env>

Synthesises environments/<env>.yaml, plans it and applies the plan when it changes anything,
then prints every VM (name, id, node, IPv4) and a summary.

Target: the Proxmox VE in PROXMOX_VE_ENDPOINT (credentials from PROXMOX_VE_API_TOKEN or
PROXMOX_VE_USERNAME/PROXMOX_VE_PASSWORD). When PROXMOX_VE_ENDPOINT is unset, the embedded PVE API
simulator serves the run on 127.0.0.1 and keeps its state in .state/sim/, so a second run shows
"no changes".

Example: proxmox-cdk up dev`,
  async run(args) {
    const env = envArgument(args, "up");
    await ensureCliToolchain();
    printResult(await up({ root: projectRoot(), env }), `up ${env}`);
    return 0;
  },
};
