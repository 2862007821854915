import { scalarText } from "../terraform/scalar-text";
import { destroys, ResourceChange, TerraformPlan } from "../terraform/terraform-plan";

/** Terraform type of a bpg/proxmox VM (templates too). */
export const VM_TYPE = "proxmox_virtual_environment_vm";
/** Terraform type of a bpg/proxmox container. */
export const CONTAINER_TYPE = "proxmox_virtual_environment_container";
/** HA resource types (the provider's current name and its deprecated alias). */
export const HA_TYPES: readonly string[] = ["proxmox_haresource", "proxmox_virtual_environment_haresource"];

/** A VM the plan deletes (destroy, or the delete half of a replace), as the state records it. */
export interface DeletedVm {
  readonly address: string;
  readonly vmId: number;
  readonly node: string;
  readonly action: "delete" | "replace";
}

/** Why Proxmox VE will refuse a deletion the plan contains, and what to do about it. */
export interface DestroyBlocker {
  /** Terraform address of the resource PVE refuses to delete. */
  readonly address: string;
  /** Stable code: `protection`, `ha-without-purge`, `linked-clone-base`, `locked`. */
  readonly code: "protection" | "ha-without-purge" | "linked-clone-base" | "locked";
  /** PVE's refusal, in the words of its API. */
  readonly reason: string;
  /** The one thing to do. */
  readonly fix: string;
}

const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

/** The VMs a plan deletes, with their id and node from the state. */
export function deletedVms(plan: TerraformPlan): DeletedVm[] {
  return destroys(plan)
    .filter((c) => c.type === VM_TYPE)
    .flatMap((c) => {
      const before = c.before ?? {};
      const vmId = num(before.vm_id);
      return vmId === undefined ? [] : [{ address: c.address, vmId, node: scalarText(before.node_name ?? ""), action: c.action as "delete" | "replace" }];
    });
}

/** Options of {@link destroyBlockers}. */
export interface PreflightOptions {
  /** What the user runs to lift protection, e.g. `proxmox-cdk destroy prod --unprotect`. */
  readonly unprotectFix: string;
  /** `lock` of each VM as PVE reports it now (`clone`, `backup`, …), by VM id. @default none known */
  readonly locks?: ReadonlyMap<number, string>;
}

/**
 * What Proxmox VE's `destroy_vm` (qemu-server API2/Qemu.pm) will refuse among the deletions of a
 * plan, found before anything is touched: a VM (or container) with `protection`; an HA-managed VM deleted without
 * `purge`; a template whose disks still back linked clones that stay; a VM under a lock. A running
 * VM is no blocker: the provider stops it before the DELETE (proxmoxtf/resource/vm/vm.go vmDelete).
 */
export function destroyBlockers(plan: TerraformPlan, opts: PreflightOptions): DestroyBlocker[] {
  const deleted = deletedVms(plan);
  const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
  const deletedIds = new Set(deleted.map((v) => v.vmId));
  const kept = keptResources(plan);
  const haKept = new Set(kept.filter((c) => HA_TYPES.includes(c.type)).map((c) => scalarText((c.before ?? c.after ?? {}).resource_id ?? "")));
  const out: DestroyBlocker[] = [];
  for (const vm of deleted) {
    const before = (byAddress.get(vm.address) as ResourceChange).before ?? {};
    const label = `VM ${vm.vmId}${before.name ? ` (${scalarText(before.name)})` : ""}`;
    if (before.protection === true) {
      out.push({
        address: vm.address,
        code: "protection",
        reason: `can't remove VM ${vm.vmId} - protection mode enabled`,
        fix: `lift protection first: ${opts.unprotectFix}`,
      });
    }
    if (before.purge_on_destroy === false && haKept.has(`vm:${vm.vmId}`)) {
      out.push({
        address: vm.address,
        code: "ha-without-purge",
        reason: `unable to remove VM ${vm.vmId} - used in HA resources and purge parameter not set.`,
        fix: `remove the HA resource vm:${vm.vmId} in the same change, or set purge_on_destroy = true on ${label}`,
      });
    }
    const lock = opts.locks?.get(vm.vmId);
    if (lock && lock !== "suspended") {
      out.push({
        address: vm.address,
        code: "locked",
        reason: `VM is locked (${lock})`,
        fix: `wait for the ${lock} task of ${label} to end (or unlock it: qm unlock ${vm.vmId}), then run again`,
      });
    }
    if (before.template === true) {
      const users = linkedClonesThatStay(kept, vm.vmId, deletedIds);
      if (users.length) {
        out.push({
          address: vm.address,
          code: "linked-clone-base",
          reason: `base volume of template ${vm.vmId} is still in use by linked clone(s) ${users.join(", ")}`,
          fix: `delete or fully clone ${users.join(", ")} first`,
        });
      }
    }
  }
  // A container: pve-container's `destroy_vm` (API2/LXC.pm) refuses a protected one the same way.
  for (const c of destroys(plan).filter((x) => x.type === CONTAINER_TYPE)) {
    const before = c.before ?? {};
    if (before.protection === true) {
      out.push({
        address: c.address,
        code: "protection",
        reason: `can't remove CT ${String(before.vm_id)} - protection mode enabled`,
        fix: `lift protection first: ${opts.unprotectFix}`,
      });
    }
  }
  return out;
}

/** Resources the plan keeps: unchanged, updated (or created), but not deleted nor replaced. */
export function keptResources(plan: TerraformPlan): ResourceChange[] {
  return [...plan.unchanged, ...plan.changes.filter((c) => c.action !== "delete" && c.action !== "replace")];
}

/** Addresses of linked clones of `templateId` that the plan keeps. */
function linkedClonesThatStay(kept: readonly ResourceChange[], templateId: number, deletedIds: ReadonlySet<number>): string[] {
  return kept
    .filter((c) => c.type === VM_TYPE)
    .filter((c) => {
      const state = c.before ?? c.after ?? {};
      const clone = (state.clone as { vm_id?: unknown; full?: unknown }[] | undefined)?.[0];
      return clone !== undefined && num(clone.vm_id) === templateId && clone.full === false && !deletedIds.has(num(state.vm_id) ?? -1);
    })
    .map((c) => c.address);
}

/** The preflight's verdict as lines for the terminal. */
export function formatBlockers(blockers: readonly DestroyBlocker[]): string[] {
  return blockers.flatMap((b) => [`  ${b.address}: ${b.reason}`, `    fix: ${b.fix}`]);
}

/** Thrown when the preflight finds deletions PVE will refuse; nothing has been changed. */
export class DestroyRefused extends Error {
  constructor(
    readonly blockers: readonly DestroyBlocker[],
    what: string,
  ) {
    super([`${what}: Proxmox VE would refuse ${blockers.length} deletion(s); nothing was changed:`, ...formatBlockers(blockers)].join("\n"));
  }
}
