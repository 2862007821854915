import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { str } from "../values";
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
    const ha = ctx.ofType(T.haResource).filter((h) => !INACTIVE_HA_STATES.includes(str(h.config.state) ?? ""));
    const covered = new Set(ha.flatMap((h) => [...ctx.vmsDesignatedBy(String(h.config.resource_id ?? "").replace(/^vm:/, ""))]));
    return runningVms(ctx)
      .filter((vm) => ctx.stageOf(vm) === "prod")
      .filter((vm) => !covered.has(vm))
      .map((vm) => ({ subject: vm.construct, message: `prod ${vmLabel(vm)} has no active HA resource: it stays down when its node fails.` }));
  },
};
