import { PolicyRule } from "../rule";
import { bool } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-OPS-008: prod VMs come back after a node reboot. */
export const rule: PolicyRule = {
  id: "PVE-OPS-008",
  severity: "warning",
  description: "Prod VMs start when their node boots (on_boot = true).",
  remediation: "Leave on_boot at true (HardenedVm's default onBoot).",
  mappings: [],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && bool(vm.config, "on_boot") === false
        ? [{ subject: vm.construct, message: `prod ${vmLabel(vm)} has on_boot = false: it stays off after a node reboot.` }]
        : [],
    );
  },
};
