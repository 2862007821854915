import { PolicyRule } from "../rule";
import { block, bool } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-OPS-005: prod VMs are full clones. */
export const rule: PolicyRule = {
  id: "PVE-OPS-005",
  severity: "info",
  description: "Prod VMs are full clones, not linked clones that depend on the template's disks.",
  remediation: "Clone with full = true (HardenedVm's default; drop linkedClone) so the template can be replaced or deleted.",
  mappings: [],
  terraformOnly:
    "PVE does not record whether a VM was cloned linked or full in its configuration the provider reads (the clone block exists only in Terraform).",
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && bool(block(vm.config, "clone"), "full") === false
        ? [{ subject: vm.construct, message: `prod ${vmLabel(vm)} is a linked clone: it breaks when the template's base disk goes.` }]
        : [],
    );
  },
};
