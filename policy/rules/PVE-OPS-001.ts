import { PolicyRule } from "../rule";
import { bool, raw } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-OPS-001: prod VMs cannot be deleted by accident. */
export const rule: PolicyRule = {
  id: "PVE-OPS-001",
  severity: "error",
  description: "Every prod VM has PVE deletion protection on.",
  remediation: 'Set protection = true (HardenedVm does for stage "prod"); lift it deliberately before a planned removal.',
  mappings: [],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && bool(vm.config, "protection") !== true
        ? [
            {
              subject: vm.construct,
              message: `prod ${vmLabel(vm)} has protection = ${JSON.stringify(raw(vm.config, "protection") ?? null)}: one destroy or GUI click deletes it and its disks.`,
            },
          ]
        : [],
    );
  },
};
