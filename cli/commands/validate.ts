import { Command } from "../command";
import { APP_OPTIONS, APP_SOURCE_HELP, STACK_SOURCE_ARGUMENT, stackSource } from "../stack-source";
import { TARGET_OPTIONS } from "../target-option";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk validate <env>`: post-deploy checks per VM. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check a deployed environment: agent IPs present, SSH/RDP reachable, per VM",
  args: { ...STACK_SOURCE_ARGUMENT, options: { ...TARGET_OPTIONS, ...APP_OPTIONS } },
  description: `For every VM of the last deploy: asks the guest agent for its IPv4 addresses and opens a TCP
connection to port 22 (3389 on Windows tiers). Prints one line per VM; exit 1 when one fails.
Against a simulator (the embedded one, or any endpoint whose GET /version says it is one) guest
addresses outside 127.0.0.0/8 are invented: they are "not checked (simulated guest address)" and
nothing is sent to them.
${APP_SOURCE_HELP}
An app's VMs are read from its stack's Terraform state (templates left out); RDP is checked on VMs
whose operating_system type is Windows, SSH on the others.`,
  async run(args) {
    const source = stackSource(args, "validate");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { checkAppStackVms, checkDeployedVms } = require("../../deploy/check-vms") as typeof import("../../deploy/check-vms");
    const sim = args.flags.sim === true;
    const checks =
      source.kind === "env" ? await checkDeployedVms(source.root, source.env, { sim }) : await checkAppStackVms(source.app, source.stack || undefined, { sim });
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
