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
