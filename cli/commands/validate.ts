import { checkDeployedVms } from "../../deploy/check-vms";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { projectRoot } from "../project-root";

/** `proxmox-cdk validate <env>`: post-deploy checks per VM. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check a deployed environment: agent IPs present, SSH/RDP reachable, per VM",
  help: `Usage: proxmox-cdk validate <env>

For every VM of the last deploy: asks the guest agent for its IPv4 addresses and opens a TCP
connection to port 22 (3389 on Windows tiers). Prints one line per VM.
Exit code: 0 when every VM passes, 1 otherwise.`,
  async run(args) {
    const env = envArgument(args, "validate");
    await ensureCliToolchain();
    const checks = await checkDeployedVms(projectRoot(), env);
    for (const c of checks) {
      const agent = c.agentIps.length ? `agent ${c.agentIps.join(",")}` : "agent: no IPv4 reported";
      const port = `tcp/${c.port.number} ${c.port.state}${c.port.note ? ` (${c.port.note})` : ""}`;
      console.log(`${c.ok ? "PASS" : "FAIL"}  ${c.name}  ${c.ipv4}  ${agent}  ${port}`);
    }
    const failed = checks.filter((c) => !c.ok).length;
    console.log(`${checks.length - failed} of ${checks.length} VMs pass.`);
    return failed ? 1 : 0;
  },
};
