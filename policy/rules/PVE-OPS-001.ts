import { PolicyRule } from "../rule";
import { bool, isUnknown } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-OPS-001: prod VMs cannot be deleted by accident. */
export const rule: PolicyRule = {
  id: "PVE-OPS-001",
  severity: "error",
  description: "Every prod VM has PVE deletion protection on.",
  remediation: "Set protection = true (HardenedVm does for stage \"prod\"); lift it deliberately before a planned removal.",
  mappings: [],
  check(ctx) {
    return runningVms(ctx)
      .filter((vm) => ctx.stageOf(vm) === "prod" && !isUnknown(vm.config.protection) && bool(vm.config.protection) !== true)
      .map((vm) => ({
        subject: vm.construct,
        message: `prod ${vmLabel(vm)} has protection = ${JSON.stringify(vm.config.protection ?? null)}: one destroy or GUI click deletes it and its disks.`,
      }));
  },
};
