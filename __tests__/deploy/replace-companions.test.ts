import { replaceCompanions } from "../../deploy/replace-companions";
import { readPlan } from "../../terraform/terraform-plan";

/** One entry of `resource_changes`, as `terraform show -json` writes it. */
function change(address: string, type: string, actions: string[], before: Record<string, unknown>) {
  return { address, type, name: address, change: { actions, before, after: before } };
}
const vm = (address: string, actions: string[], vmId: number) => change(address, "proxmox_virtual_environment_vm", actions, { vm_id: vmId, node_name: "pve1" });

describe("replace companions", () => {
  it("replaces the firewall, HA resource and backup job PVE deletes together with a replaced VM", () => {
    const plan = readPlan({
      resource_changes: [
        vm("vm.web", ["delete", "create"], 3002),
        vm("vm.app", ["no-op"], 3005),
        change("fw.web", "proxmox_virtual_environment_firewall_rules", ["no-op"], { vm_id: 3002 }),
        change("opts.web", "proxmox_virtual_environment_firewall_options", ["update"], { vm_id: 3002 }),
        change("fw.app", "proxmox_virtual_environment_firewall_rules", ["no-op"], { vm_id: 3005 }),
        change("ha.web", "proxmox_haresource", ["no-op"], { resource_id: "vm:3002" }),
        change("ha.app", "proxmox_haresource", ["no-op"], { resource_id: "vm:3005" }),
        change("backup", "proxmox_backup_job", ["no-op"], { vmid: ["3002", "3005"] }),
        change("ipset.web", "proxmox_virtual_environment_firewall_ipset", ["no-op"], { name: "prod-web" }),
      ],
    });
    expect(replaceCompanions(plan)).toEqual(["backup", "fw.web", "ha.web", "opts.web"]);
  });

  it("replaces the firewall of a replaced container, which the provider selects by container_id", () => {
    // GIVEN a plan that replaces container 4001 and keeps its firewall resources and a backup job
    const plan = readPlan({
      resource_changes: [
        change("ct.app", "proxmox_virtual_environment_container", ["delete", "create"], { vm_id: 4001, node_name: "pve1" }),
        change("ct.db", "proxmox_virtual_environment_container", ["no-op"], { vm_id: 4002, node_name: "pve1" }),
        change("fw.app", "proxmox_virtual_environment_firewall_rules", ["no-op"], { container_id: 4001, node_name: "pve1" }),
        change("opts.app", "proxmox_virtual_environment_firewall_options", ["update"], { container_id: 4001, node_name: "pve1" }),
        change("ipset.app", "proxmox_virtual_environment_firewall_ipset", ["no-op"], { container_id: 4001, name: "app" }),
        change("fw.db", "proxmox_virtual_environment_firewall_rules", ["no-op"], { container_id: 4002, node_name: "pve1" }),
        change("fw.vm", "proxmox_virtual_environment_firewall_rules", ["no-op"], { vm_id: 4002, node_name: "pve1" }),
        change("backup", "proxmox_backup_job", ["no-op"], { vmid: ["4001"] }),
      ],
    });
    // WHEN the companions are computed THEN the container's firewall file resources are replaced;
    // the backup job stays (the provider deletes containers without purge, so PVE keeps the entry)
    expect(replaceCompanions(plan)).toEqual(["fw.app", "ipset.app", "opts.app"]);
  });

  it("adds nothing when no VM is replaced, or the companions are replaced already", () => {
    expect(
      replaceCompanions(
        readPlan({
          resource_changes: [vm("vm.web", ["delete"], 3002), change("fw.web", "proxmox_virtual_environment_firewall_rules", ["no-op"], { vm_id: 3002 })],
        }),
      ),
    ).toEqual([]);
    expect(
      replaceCompanions(
        readPlan({
          resource_changes: [
            vm("vm.web", ["delete", "create"], 3002),
            change("fw.web", "proxmox_virtual_environment_firewall_rules", ["delete", "create"], { vm_id: 3002 }),
          ],
        }),
      ),
    ).toEqual([]);
  });
});
