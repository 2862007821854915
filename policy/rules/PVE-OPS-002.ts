import { PolicyRule, CIS } from "../rule";
import { PolicyContext } from "../context";
import { PolicyResource } from "../policy-resource";
import { T } from "../resource-types";
import { bool, isUnknown, str } from "../values";
import { refersToVmId, runningVms, vmLabel } from "../vm-queries";

type Coverage = "covered" | "not-covered" | "unknown";

/** Whether an enabled backup job selects the VM: `all`, its id in `vmid`, or its pool. */
export function backupCoverage(ctx: PolicyContext, vm: PolicyResource): Coverage {
  let unknown = false;
  for (const job of ctx.ofType(T.backupJob)) {
    if (bool(job.config.enabled) === false) continue;
    const node = str(job.config.node);
    const vmNode = str(vm.config.node_name);
    if (node && vmNode && node !== vmNode) continue;
    if (bool(job.config.all) === true) return "covered";
    const ids = job.config.vmid;
    if (Array.isArray(ids) ? refersToVmId(ctx, ids, vm) : typeof ids === "string" && ids.split(",").some((id) => refersToVmId(ctx, id.trim(), vm))) {
      return "covered";
    }
    if (isUnknown(ids) || isUnknown(job.config.all)) unknown = true;
    const pool = job.config.pool;
    if (pool !== undefined && pool !== null && vm.config.pool_id !== undefined && vm.config.pool_id !== null && String(pool) === String(vm.config.pool_id)) {
      return "covered";
    }
  }
  return unknown ? "unknown" : "not-covered";
}

/** PVE-OPS-002: every prod VM is in a backup job. */
export const rule: PolicyRule = {
  id: "PVE-OPS-002",
  severity: "error",
  description: "Every prod VM is selected by an enabled backup job (by VM id, by pool, or all).",
  remediation: "Add a BackupJob that lists the VM's id (vm.vmId) or its pool, or put the VM in a pool a job backs up.",
  mappings: [CIS.automatedBackups],
  check(ctx) {
    return runningVms(ctx)
      .filter((vm) => ctx.stageOf(vm) === "prod" && backupCoverage(ctx, vm) === "not-covered")
      .map((vm) => ({ subject: vm.construct, message: `prod ${vmLabel(vm)} is in no enabled backup job (neither by id nor by pool).` }));
  },
};
