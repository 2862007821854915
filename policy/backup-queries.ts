import type { PolicyContext } from "./context";
import type { PolicyResource } from "./policy-resource";
import { T } from "./resource-types";
import { bool, isUnknown, raw, str, unevaluable } from "./values";
import { refersToVmId, runningVms } from "./vm-queries";

/**
 * Whether an enabled backup job selects the VM: `all`, its id in `vmid`, or its pool. Throws
 * UnevaluableError when the answer depends on a value unknown until apply.
 */
export function jobCovers(ctx: PolicyContext, job: PolicyResource, vm: PolicyResource): boolean {
  if (bool(job.config, "enabled") === false) return false;
  const node = str(job.config, "node");
  const vmNode = raw(vm.config, "node_name");
  if (node && typeof vmNode === "string" && !isUnknown(vmNode) && node !== vmNode) return false;
  if (bool(job.config, "all") === true) return true;
  const ids = raw(job.config, "vmid");
  // An id list refers to VMs by literal id or by reference to their vm_id; the context resolves both.
  if (Array.isArray(ids) ? refersToVmId(ctx, ids, vm) : typeof ids === "string" && ids.split(",").some((id) => refersToVmId(ctx, id.trim(), vm))) return true;
  const pool = str(job.config, "pool");
  if (pool !== undefined && pool === str(vm.config, "pool_id")) return true;
  if (isUnknown(ids) || (Array.isArray(ids) && ids.some((id) => isUnknown(id) && ctx.vmsDesignatedBy(id).size === 0))) {
    unevaluable(job.config, "vmid", `it is ${JSON.stringify(ids)}, known only at apply`);
  }
  return false;
}

/**
 * Whether some enabled backup job selects the VM. A job that would cover the VM only depending on
 * a value unknown until apply makes the answer unknown: the first such value is thrown
 * (UnevaluableError) when no job covers the VM for sure.
 */
export function backupCovers(ctx: PolicyContext, vm: PolicyResource): boolean {
  let firstUnknown: { readonly error: unknown } | undefined;
  for (const job of ctx.ofType(T.backupJob)) {
    try {
      if (jobCovers(ctx, job, vm)) return true;
    } catch (e) {
      firstUnknown ??= { error: e };
    }
  }
  if (firstUnknown !== undefined) throw firstUnknown.error;
  return false;
}

/**
 * Whether a backup job is a prod job: its stage is prod (its tags or the stack's stage), or it
 * selects a prod VM — a live cluster's jobs carry no stage, the VMs they back up do.
 */
export function isProdJob(ctx: PolicyContext, job: PolicyResource): boolean {
  if (ctx.stageOf(job) === "prod") return true;
  let firstUnknown: { readonly error: unknown } | undefined;
  for (const vm of runningVms(ctx)) {
    try {
      if (ctx.stageOf(vm) === "prod" && jobCovers(ctx, job, vm)) return true;
    } catch (e) {
      firstUnknown ??= { error: e };
    }
  }
  if (firstUnknown !== undefined) throw firstUnknown.error;
  return false;
}
