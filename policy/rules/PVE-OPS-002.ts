import { PolicyRule, CIS } from "../rule";
import { PolicyContext } from "../context";
import { PolicyResource } from "../policy-resource";
import { T } from "../resource-types";
import { bool, isUnknown, raw, str, unevaluable } from "../values";
import { refersToVmId, runningVms, vmLabel } from "../vm-queries";

/**
 * Whether an enabled backup job selects the VM: `all`, its id in `vmid`, or its pool. A job that
 * would cover the VM only depending on a value unknown until apply makes the answer unknown: the
 * first such value is thrown (UnevaluableError) when no job covers the VM for sure.
 */
export function backupCovers(ctx: PolicyContext, vm: PolicyResource): boolean {
  let firstUnknown: { readonly error: unknown } | undefined;
  const attempt = (judge: () => boolean): boolean => {
    try {
      return judge();
    } catch (e) {
      firstUnknown ??= { error: e };
      return false;
    }
  };
  for (const job of ctx.ofType(T.backupJob)) {
    const covers = attempt(() => {
      if (bool(job.config, "enabled") === false) return false;
      const node = str(job.config, "node");
      const vmNode = raw(vm.config, "node_name");
      if (node && typeof vmNode === "string" && !isUnknown(vmNode) && node !== vmNode) return false;
      if (bool(job.config, "all") === true) return true;
      const ids = raw(job.config, "vmid");
      // An id list refers to VMs by literal id or by reference to their vm_id; the context resolves both.
      if (Array.isArray(ids) ? refersToVmId(ctx, ids, vm) : typeof ids === "string" && ids.split(",").some((id) => refersToVmId(ctx, id.trim(), vm)))
        return true;
      const pool = str(job.config, "pool");
      if (pool !== undefined && pool === str(vm.config, "pool_id")) return true;
      if (isUnknown(ids) || (Array.isArray(ids) && ids.some((id) => isUnknown(id) && ctx.vmsDesignatedBy(id).size === 0))) {
        unevaluable(job.config, "vmid", `it is ${JSON.stringify(ids)}, known only at apply`);
      }
      return false;
    });
    if (covers) return true;
  }
  if (firstUnknown !== undefined) throw firstUnknown.error;
  return false;
}

/** PVE-OPS-002: every prod VM is in a backup job. */
export const rule: PolicyRule = {
  id: "PVE-OPS-002",
  severity: "error",
  description: "Every prod VM is selected by an enabled backup job (by VM id, by pool, or all).",
  remediation: "Add a BackupJob that lists the VM's id (vm.vmId) or its pool, or put the VM in a pool a job backs up.",
  mappings: [CIS.automatedBackups],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && !backupCovers(ctx, vm)
        ? [{ subject: vm.construct, message: `prod ${vmLabel(vm)} is in no enabled backup job (neither by id nor by pool).` }]
        : [],
    );
  },
};
