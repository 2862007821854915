import { PolicyRule } from "../rule";
import { block, bool, goDurationSeconds, str } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** The longest agent wait accepted, in seconds. */
export const MAX_AGENT_WAIT_SECONDS = 600;

/** PVE-AG-002: Terraform never hangs 15 minutes on a guest agent. */
export const rule: PolicyRule = {
  id: "PVE-AG-002",
  severity: "warning",
  description: "A VM with the guest agent sets agent.timeout to at most 10m (the provider's default of 15m stalls every plan when an agent is down).",
  remediation: 'Set agent.timeout to a bounded duration such as "3m" (HardenedVm\'s default).',
  mappings: [],
  terraformOnly: "agent.timeout is how long the provider waits for the agent, a Terraform setting PVE does not store.",
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) => {
      const agent = block(vm.config, "agent");
      if (!agent || bool(agent, "enabled") !== true) return [];
      const text = str(agent, "timeout") ?? "15m";
      const seconds = goDurationSeconds(text);
      if (seconds !== undefined && seconds <= MAX_AGENT_WAIT_SECONDS) return [];
      const why = agent.timeout === undefined || agent.timeout === null ? "unset (provider default 15m)" : `"${text}"`;
      return [{ subject: vm.construct, message: `${vmLabel(vm)}: agent.timeout is ${why}, longer than 10m.` }];
    });
  },
};
