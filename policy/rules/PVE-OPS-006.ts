import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { strList } from "../values";
import { vmLabel } from "../vm-queries";

/** PVE-OPS-006: VMs carry tags. */
export const rule: PolicyRule = {
  id: "PVE-OPS-006",
  severity: "info",
  description: "Every VM carries tags (the constructs tag each with proxmox-cdk and its stage), so ownership and stage are visible in PVE.",
  remediation: "Set tags, at least the stage (dev, staging or prod).",
  mappings: [],
  check(ctx) {
    return ctx.each(ctx.ofType(T.vm), (vm) =>
      (strList(vm.config, "tags") ?? []).length > 0
        ? []
        : [{ subject: vm.construct, message: `${vmLabel(vm)} has no tags, so stage-dependent rules cannot see its stage.` }],
    );
  },
};
