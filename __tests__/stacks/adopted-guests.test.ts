import { Testing } from "cdktf";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { sshPublicKey } from "../sim/qemu/fixtures";

const KEY = sshPublicKey("ops@adopted");
const SPEC = `name: brown
stage: prod
nodes: [pve1, pve2]
network: { bridge: { name: vmbr0, vlan: 20 } }
templates: {}
tiers: {}
backups: { storage: pbs, pbs: { server: pbs.example.invalid, datastore: prod, username: pve@pbs } }
cloudInit: { user: ops, sshKeys: ["${KEY}"] }
adopted:
  legacy-201: { vmid: 201, node: pve1, cores: 2, memoryMiB: 1024, disk: { interface: scsi1, storage: fast, sizeGiB: 12 }, network: { bridge: vmbr0, vlan: 20 }, tags: [prod] }
  legacy-ct: { kind: container, vmid: 206, node: pve1, cores: 1, memoryMiB: 512, disk: { storage: local-lvm, sizeGiB: 4 }, network: { bridge: vmbr0, vlan: 20 }, ipv4: 10.20.0.50/24, pool: apps }
`;

function synth(): Record<string, any> {
  const stack = new EnvironmentStack(Testing.app(), "brown", { env: resolveDefaults(parseEnvironment(SPEC, "environments/brown.yaml")) });
  return JSON.parse(Testing.synth(stack)) as Record<string, any>;
}

describe("adopted guests in the environment stack", () => {
  const json = synth();
  const vm = Object.values(json.resource.proxmox_virtual_environment_vm as Record<string, any>)[0];
  const ct = Object.values(json.resource.proxmox_virtual_environment_container as Record<string, any>)[0];

  it("imports each guest, its firewall options and its rule list by the provider's import ids", () => {
    const ids = (json.import as { id: string; to: string }[]).map((i) => `${i.to.split(".")[0]} ${i.id}`).sort();
    expect(ids).toEqual(
      [
        "proxmox_virtual_environment_vm pve1/201",
        "proxmox_virtual_environment_firewall_options vm/pve1/201",
        "proxmox_virtual_environment_firewall_rules vm/pve1/201",
        "proxmox_virtual_environment_container pve1/206",
        "proxmox_virtual_environment_firewall_options container/pve1/206",
        "proxmox_virtual_environment_firewall_rules container/pve1/206",
      ].sort(),
    );
  });

  it("renders the VM over the live node, id and disk, without clone, hardened", () => {
    expect(vm.clone).toBeUndefined();
    expect(vm).toMatchObject({ node_name: "pve1", vm_id: 201, on_boot: true, protection: true, agent: { enabled: true } });
    expect(vm.disk).toEqual([expect.objectContaining({ interface: "scsi1", datastore_id: "fast", size: 12, discard: "on" })]);
    expect(vm.network_device[0]).toMatchObject({ bridge: "vmbr0", vlan_id: 20, firewall: true });
    expect(vm.initialization.user_account).toEqual({ username: "ops", keys: [KEY] });
  });

  it("renders the container without the ForceNew blocks PVE does not hold, in its own pool, ignoring its OS template", () => {
    expect(ct.operating_system).toBeUndefined();
    expect(ct.initialization.user_account).toBeUndefined();
    expect(ct.features).toBeUndefined();
    expect(ct).toMatchObject({
      vm_id: 206,
      pool_id: "apps",
      unprivileged: true,
      disk: { datastore_id: "local-lvm", size: 4 },
      lifecycle: { ignore_changes: ["operating_system"] },
    });
  });

  it("puts adopted guests in the backup job and under HA", () => {
    const vmRef = "${proxmox_virtual_environment_vm.adopted-legacy-201_vm_D6650A76.vm_id}";
    const ctRef = "${proxmox_virtual_environment_container.adopted-legacy-ct_container_5773E18C.vm_id}";
    expect(Object.values(json.resource.proxmox_backup_job as Record<string, any>)[0].vmid).toEqual([vmRef, ctRef]);
    const ha = Object.values(json.resource.proxmox_haresource as Record<string, any>).map((h) => h.resource_id as string);
    expect(ha.sort()).toEqual([`ct:${ctRef}`, `vm:${vmRef}`]);
  });
});
