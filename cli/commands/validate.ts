import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { TARGET_OPTIONS } from "../target-option";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk validate <env>`: post-deploy checks per VM. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check a deployed environment: agent IPs present, SSH/RDP reachable, per VM",
  args: { ...ENV_ARGUMENT, options: { ...TARGET_OPTIONS } },
  description: `For every VM of the last deploy: asks the guest agent for its IPv4 addresses and opens a TCP
connection to port 22 (3389 on Windows tiers). Prints one line per VM; exit 1 when one fails.
Against a simulator (the embedded one, or any endpoint whose GET /version says it is one) guest
addresses outside 127.0.0.0/8 are invented: they are "not checked (simulated guest address)" and
nothing is sent to them.`,
  async run(args) {
    const env = envArgument(args, "validate");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (startup time); import() would bypass the tsx CommonJS hook bin/ runs sources with
    const { checkDeployedVms } = require("../../deploy/check-vms") as typeof import("../../deploy/check-vms");
    const checks = await checkDeployedVms(projectRoot(), env, { sim: args.flags.sim === true });
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
