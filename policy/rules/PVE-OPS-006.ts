import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { isUnknown } from "../values";
import { vmLabel } from "../vm-queries";

/** PVE-OPS-006: VMs carry tags. */
export const rule: PolicyRule = {
  id: "PVE-OPS-006",
  severity: "info",
  description: "Every VM carries tags (the constructs tag each with proxmox-cdk and its stage), so ownership and stage are visible in PVE.",
  remediation: "Set tags, at least the stage (dev, staging or prod).",
  mappings: [],
  check(ctx) {
    return ctx
      .ofType(T.vm)
      .filter((vm) => !isUnknown(vm.config.tags) && !(Array.isArray(vm.config.tags) && vm.config.tags.length > 0))
      .map((vm) => ({ subject: vm.construct, message: `${vmLabel(vm)} has no tags, so stage-dependent rules cannot see its stage.` }));
  },
};
