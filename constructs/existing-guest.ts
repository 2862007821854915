import type { TerraformResource } from "cdktf";
import type { VmFirewall } from "./vm-firewall";

/**
 * A guest that already runs in Proxmox VE and is taken over (adopted) instead of created: its
 * provider resources get Terraform `import` blocks, so the first plan reads the guest and changes
 * it in place. What would force bpg/proxmox to replace it must match the live guest: no `clone`,
 * no image import, the same node, id, disk bus and storage (proxmoxtf/resource/vm/vm.go and
 * container/container.go, `ForceNew` and `CustomizeDiff`).
 */
export interface ExistingGuest {
  /**
   * Bus and index of the VM's existing root disk (`scsi0`, `scsi1`, …): a disk on another
   * interface would be a new disk. Containers have one root file system and ignore this.
   * @default "scsi0"
   */
  readonly diskInterface?: string;
}

/** The id bpg/proxmox 0.111.1 imports a VM or container by: `<node>/<id>` (docs/resources/virtual_environment_vm.md, "Import"). */
export function guestImportId(node: string, vmId: number): string {
  return `${node}/${vmId}`;
}

/** The id of a guest's firewall options or rules: `vm/<node>/<id>` or `container/<node>/<id>` (virtual_environment_firewall_options.md, "Import"). */
export function firewallImportId(guest: "vm" | "container", node: string, vmId: number): string {
  return `${guest}/${node}/${vmId}`;
}

/**
 * Imports an existing guest's resource and its firewall (options and the whole rule list: rules
 * the spec does not hold are removed by the first apply, shown in the plan as an in-place update).
 * Terraform 1.5+ skips an `import` block whose address is already in state, so the blocks stay
 * harmless after the first apply.
 */
export function importExistingGuest(resource: TerraformResource, firewall: VmFirewall, guest: "vm" | "container", node: string, vmId: number): void {
  resource.importFrom(guestImportId(node, vmId));
  firewall.options.importFrom(firewallImportId(guest, node, vmId));
  firewall.manageAllRules().importFrom(firewallImportId(guest, node, vmId));
}
