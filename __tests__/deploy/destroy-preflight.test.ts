import { destroyBlockers, DestroyRefused } from "../../deploy/destroy-preflight";
import { readPlan, TerraformPlan } from "../../terraform/terraform-plan";

const FIX = "proxmox-cdk destroy prod --unprotect";

/** Entries of `resource_changes`, as `terraform show -json` writes them. */
type RawChange = {
  address: string;
  type: string;
  name: string;
  change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> | null };
};

function vm(address: string, actions: string[], before: Record<string, unknown>): RawChange {
  return { address, type: "proxmox_virtual_environment_vm", name: address, change: { actions, before, after: actions.includes("create") ? before : null } };
}
function ha(vmId: number, actions: string[]): RawChange {
  const state = { resource_id: `vm:${vmId}` };
  return {
    address: `proxmox_haresource.ha_${vmId}`,
    type: "proxmox_haresource",
    name: `ha_${vmId}`,
    change: { actions, before: state, after: actions.includes("delete") ? null : state },
  };
}
const plan = (...changes: RawChange[]): TerraformPlan => readPlan({ resource_changes: changes });

describe("destroy preflight", () => {
  it("names a protected VM the plan deletes, with PVE's refusal and the unprotect fix", () => {
    const blockers = destroyBlockers(plan(vm("vm.web", ["delete"], { vm_id: 3002, node_name: "pve1", protection: true, name: "prod-web-1" })), {
      unprotectFix: FIX,
    });
    expect(blockers).toEqual([
      { address: "vm.web", code: "protection", reason: "can't remove VM 3002 - protection mode enabled", fix: `lift protection first: ${FIX}` },
    ]);
  });

  it("names a protected container the plan deletes, with pve-container's refusal, and lets an unprotected one go", () => {
    // GIVEN a plan deleting a protected and an unprotected container
    const ct = (address: string, before: Record<string, unknown>): RawChange => ({
      address,
      type: "proxmox_virtual_environment_container",
      name: address,
      change: { actions: ["delete"], before, after: null },
    });
    const blockers = destroyBlockers(
      plan(ct("ct.cache1", { vm_id: 3010, node_name: "pve1", protection: true }), ct("ct.cache2", { vm_id: 3011, node_name: "pve1", protection: false })),
      { unprotectFix: FIX },
    );
    // THEN only the protected one blocks, with the unprotect fix
    expect(blockers).toEqual([
      { address: "ct.cache1", code: "protection", reason: "can't remove CT 3010 - protection mode enabled", fix: `lift protection first: ${FIX}` },
    ]);
  });

  it("names a protected VM the plan replaces", () => {
    const blockers = destroyBlockers(plan(vm("vm.web", ["delete", "create"], { vm_id: 3002, node_name: "pve1", protection: true })), { unprotectFix: FIX });
    expect(blockers.map((b) => b.code)).toEqual(["protection"]);
  });

  it("lets an unprotected, unlocked VM go, and ignores protected VMs the plan keeps", () => {
    const blockers = destroyBlockers(
      plan(
        vm("vm.a", ["delete"], { vm_id: 101, node_name: "pve1", protection: false }),
        vm("vm.b", ["update"], { vm_id: 102, node_name: "pve1", protection: true }),
      ),
      { unprotectFix: FIX },
    );
    expect(blockers).toEqual([]);
  });

  it("names a VM PVE reports locked, but not one that is only suspended", () => {
    const p = plan(vm("vm.a", ["delete"], { vm_id: 101, node_name: "pve1" }), vm("vm.b", ["delete"], { vm_id: 102, node_name: "pve1" }));
    const blockers = destroyBlockers(p, {
      unprotectFix: FIX,
      locks: new Map([
        [101, "backup"],
        [102, "suspended"],
      ]),
    });
    expect(blockers.map((b) => [b.address, b.code, b.reason])).toEqual([["vm.a", "locked", "VM is locked (backup)"]]);
  });

  it("names an HA-managed VM deleted without purge while its HA resource stays", () => {
    const kept = destroyBlockers(plan(vm("vm.a", ["delete"], { vm_id: 101, node_name: "pve1", purge_on_destroy: false }), ha(101, ["no-op"])), {
      unprotectFix: FIX,
    });
    expect(kept.map((b) => [b.code, b.reason])).toEqual([["ha-without-purge", "unable to remove VM 101 - used in HA resources and purge parameter not set."]]);
    // the provider's default purges, and an HA resource deleted in the same plan goes first
    expect(
      destroyBlockers(plan(vm("vm.a", ["delete"], { vm_id: 101, node_name: "pve1", purge_on_destroy: true }), ha(101, ["no-op"])), { unprotectFix: FIX }),
    ).toEqual([]);
    expect(
      destroyBlockers(plan(vm("vm.a", ["delete"], { vm_id: 101, node_name: "pve1", purge_on_destroy: false }), ha(101, ["delete"])), { unprotectFix: FIX }),
    ).toEqual([]);
  });

  it("names a template whose base disks a kept linked clone still uses", () => {
    const template = vm("vm.tpl", ["delete"], { vm_id: 100, node_name: "pve1", template: true });
    const linked = vm("vm.web", ["no-op"], { vm_id: 101, node_name: "pve1", clone: [{ vm_id: 100, full: false }] });
    const full = vm("vm.app", ["no-op"], { vm_id: 102, node_name: "pve1", clone: [{ vm_id: 100, full: true }] });
    expect(destroyBlockers(plan(template, linked, full), { unprotectFix: FIX }).map((b) => [b.address, b.code, b.fix])).toEqual([
      ["vm.tpl", "linked-clone-base", "delete or fully clone vm.web first"],
    ]);
    const linkedGoes = vm("vm.web", ["delete"], { vm_id: 101, node_name: "pve1", clone: [{ vm_id: 100, full: false }] });
    expect(destroyBlockers(plan(template, linkedGoes), { unprotectFix: FIX })).toEqual([]);
  });

  it("says in its error that nothing was changed and lists each resource with its fix", () => {
    const blockers = destroyBlockers(plan(vm("vm.web", ["delete"], { vm_id: 3002, node_name: "pve1", protection: true })), { unprotectFix: FIX });
    expect(new DestroyRefused(blockers, "destroy prod").message).toBe(
      [
        "destroy prod: Proxmox VE would refuse 1 deletion(s); nothing was changed:",
        "  vm.web: can't remove VM 3002 - protection mode enabled",
        `    fix: lift protection first: ${FIX}`,
      ].join("\n"),
    );
  });
});
