import { replaces, TerraformPlan } from "../terraform/terraform-plan";
import { CONTAINER_TYPE, deletedVms, HA_TYPES } from "./destroy-preflight";

/**
 * Resource types whose PVE object lives in one guest's firewall file (/etc/pve/firewall/<vmid>.fw),
 * which PVE deletes with the guest. The provider selects the guest by `vm_id` (a VM) or
 * `container_id` (a container).
 */
const GUEST_FIREWALL_TYPES: readonly string[] = [
  "proxmox_virtual_environment_firewall_options",
  "proxmox_virtual_environment_firewall_rules",
  "proxmox_virtual_environment_firewall_ipset",
  "proxmox_virtual_environment_firewall_alias",
];
const BACKUP_JOB_TYPES: readonly string[] = ["proxmox_backup_job", "proxmox_virtual_environment_backup_job"];

const ids = (v: unknown): number[] => (Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n));

/**
 * Resources the plan keeps (no-op or update) although PVE deletes their object together with a
 * guest the plan replaces. A VM: qemu-server's `destroy_vm` removes its firewall file
 * (`remove_vmfw_conf`) and, with `purge` (the provider's default), its HA resource and its
 * backup-job entries. A container: pve-container's `destroy_vm` (API2/LXC.pm) removes its firewall
 * file always; HA and backup jobs only with `purge`, which the provider's container delete does
 * not send. Terraform still records them, so the new guest would run without firewall, HA or
 * backups until a later run notices. Planned with `-replace`, they are recreated after the new guest.
 */
export function replaceCompanions(plan: TerraformPlan): string[] {
  const replacedVms = new Set(
    deletedVms(plan)
      .filter((v) => v.action === "replace")
      .map((v) => v.vmId),
  );
  const replacedCts = new Set(
    replaces(plan)
      .filter((c) => c.type === CONTAINER_TYPE)
      .flatMap((c) => ids((c.before ?? {}).vm_id)),
  );
  if (replacedVms.size === 0 && replacedCts.size === 0) return [];
  return [...plan.unchanged, ...plan.changes.filter((c) => c.action === "update")]
    .filter((c) => {
      const state = c.before ?? {};
      if (GUEST_FIREWALL_TYPES.includes(c.type)) {
        return ids(state.vm_id).some((id) => replacedVms.has(id)) || ids(state.container_id).some((id) => replacedCts.has(id));
      }
      if (HA_TYPES.includes(c.type)) return /^vm:(\d+)$/.test(String(state.resource_id)) && replacedVms.has(Number(String(state.resource_id).slice(3)));
      if (BACKUP_JOB_TYPES.includes(c.type)) return ids(state.vmid).some((id) => replacedVms.has(id));
      return false;
    })
    .map((c) => c.address)
    .sort();
}
