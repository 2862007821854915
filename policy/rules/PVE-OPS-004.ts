import { scalarText } from "../../terraform/scalar-text";
import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { raw, str } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

const INACTIVE_HA_STATES = ["disabled", "ignored"];

/** PVE-OPS-004: prod VMs are managed by the HA manager. */
export const rule: PolicyRule = {
  id: "PVE-OPS-004",
  severity: "warning",
  description: "Every prod VM has an active HA resource (state started or stopped), so a node failure restarts it elsewhere.",
  remediation: "Add an HaResource for the VM (new HaResource(scope, id, { vmId: vm.vmId })).",
  mappings: [],
  check(ctx) {
    const covered = new Set<unknown>();
    // An HA resource whose state is unknown is reported on itself; the VMs it would cover count as not covered.
    const unknownStates = ctx.each(ctx.ofType(T.haResource), (h) => {
      if (!INACTIVE_HA_STATES.includes(str(h.config, "state") ?? "")) {
        for (const vm of ctx.vmsDesignatedBy(scalarText(raw(h.config, "resource_id") ?? "").replace(/^vm:/, ""))) covered.add(vm);
      }
      return [];
    });
    const uncovered = ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && !covered.has(vm)
        ? [{ subject: vm.construct, message: `prod ${vmLabel(vm)} has no active HA resource: it stays down when its node fails.` }]
        : [],
    );
    return [...unknownStates, ...uncovered];
  },
};
