import { TerraformPlan } from "../terraform/terraform-plan";
import { deletedVms, HA_TYPES } from "./destroy-preflight";

/** Resource types whose PVE object lives with one VM and goes when PVE deletes that VM. */
const VM_FIREWALL_TYPES: readonly string[] = ["proxmox_virtual_environment_firewall_options", "proxmox_virtual_environment_firewall_rules"];
const BACKUP_JOB_TYPES: readonly string[] = ["proxmox_backup_job", "proxmox_virtual_environment_backup_job"];

const ids = (v: unknown): number[] => (Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n));

/**
 * Resources the plan keeps (no-op or update) although PVE deletes their object together with a VM
 * the plan replaces: qemu-server's `destroy_vm` removes the VM's firewall (`remove_vmfw_conf`) and,
 * with `purge` (the provider's default), its HA resource and its backup-job entries. Terraform still
 * records them, so the new VM would run without firewall, HA or backups until a later run notices.
 * Planned with `-replace`, they are recreated after the new VM.
 */
export function replaceCompanions(plan: TerraformPlan): string[] {
  const replaced = new Set(
    deletedVms(plan)
      .filter((v) => v.action === "replace")
      .map((v) => v.vmId),
  );
  if (replaced.size === 0) return [];
  return [...plan.unchanged, ...plan.changes.filter((c) => c.action === "update")]
    .filter((c) => {
      const state = c.before ?? {};
      if (VM_FIREWALL_TYPES.includes(c.type)) return ids(state.vm_id).some((id) => replaced.has(id));
      if (HA_TYPES.includes(c.type)) return /^vm:(\d+)$/.test(String(state.resource_id)) && replaced.has(Number(String(state.resource_id).slice(3)));
      if (BACKUP_JOB_TYPES.includes(c.type)) return ids(state.vmid).some((id) => replaced.has(id));
      return false;
    })
    .map((c) => c.address)
    .sort();
}
