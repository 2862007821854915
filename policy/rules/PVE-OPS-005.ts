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
    "a VM's configuration does not tell a linked clone from a full one: on LVM-thin, PVE's default storage, a linked clone's disk is a plain vm-<id>-disk-<n> (pve-storage LvmThinPlugin::clone_image), so only the Terraform clone block shows it.",
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && bool(block(vm.config, "clone"), "full") === false
        ? [{ subject: vm.construct, message: `prod ${vmLabel(vm)} is a linked clone: it breaks when the template's base disk goes.` }]
        : [],
    );
  },
};
