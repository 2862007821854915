import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { block, bool } from "../values";
import { vmLabel } from "../vm-queries";

/** PVE-AG-001: the QEMU guest agent is on. */
export const rule: PolicyRule = {
  id: "PVE-AG-001",
  severity: "warning",
  description: "The QEMU guest agent is enabled on every VM and template (clean shutdown, fs-freeze for consistent backups, IP reporting).",
  remediation: "Set agent.enabled = true (HardenedVm and VmTemplate do) and install qemu-guest-agent in the image.",
  mappings: [],
  check(ctx) {
    return ctx.each(ctx.ofType(T.vm), (vm) => {
      const agent = block(vm.config, "agent");
      if (bool(agent, "enabled") === true) return [];
      return [
        {
          subject: vm.construct,
          message: `${vmLabel(vm)}: the guest agent is ${agent ? "disabled" : "not configured (provider default: disabled)"}, so backups cannot freeze the file systems.`,
        },
      ];
    });
  },
};
