import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { buildInventory, VmRow } from "../../inventory/ansible-inventory";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { withFastSynth } from "../../stacks/fast-synth";
import { VmGroup } from "../../constructs/vm-group";

const SPEC = fs.readFileSync(path.join(__dirname, "..", "envspec", "data-disks.yaml"), "utf8");
const vms: VmRow[] = [{ name: "vault-db-1", id: 4001, node: "pve1", ipv4: "10.40.0.17", tier: "db" }];

type Inventory = { all: { vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
function inventoryOf(text: string): Inventory {
  return buildInventory(resolveDefaults(parseEnvironment(text, "environments/vault.yaml")), vms) as Inventory;
}

describe("the Ansible inventory of VMs with encrypted data disks", () => {
  it("hands each encrypted disk to luks_data_disk by the by-id path of the serial the construct set", () => {
    // GIVEN the example: two encrypted data disks on the db tier WHEN the inventory is built
    const env = resolveDefaults(parseEnvironment(SPEC, "environments/vault.yaml"));
    const host = inventoryOf(SPEC).all.children.db.hosts["vault-db-1"];
    // THEN the role is on for the host with both disks, named and mounted by their place in the spec
    expect(host.luks_data_disk_enabled).toBe(true);
    expect(host.luks_data_disks).toEqual([
      { device: "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_pcdk-luks-1", name: "data1_crypt", mount_point: "/srv/data1" },
      { device: "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_pcdk-luks-2", name: "data2_crypt", mount_point: "/srv/data2" },
    ]);
    // AND the devices are the ones the synthesised VM carries
    const stack = withFastSynth(() => new EnvironmentStack(new App(), "vault", { env, policy: false }));
    const vm = (stack.tiers.db as VmGroup).members[0];
    expect((host.luks_data_disks as { device: string }[]).map((d) => d.device)).toEqual(vm.dataDisks.map((d) => d.guestDevice));
  });

  it("gives every host the environment's tang servers, pinned thumbprints and threshold, and no passphrase", () => {
    const vars = inventoryOf(SPEC).all.vars;
    expect(vars).toMatchObject({
      luks_data_disk_unlock: "tang",
      luks_data_disk_tang_servers: [
        { url: "http://tang1.example.net:7500", thp: "x100_0-5p3K8YBmXpfLxPLTZEgdA1mUqW2s9QBpPkw4" },
        { url: "http://tang2.example.net", thp: "3l2bqKKU8XCjZbQbS3C5hK9yXbB0ah1Tn3Hn4b0Sq5c" },
      ],
      luks_data_disk_tang_threshold: 2,
    });
    expect(vars.luks_data_disk_passphrase).toBeUndefined();
  });

  it("says tpm2 when the environment unlocks with the vTPM", () => {
    const text = SPEC.replace(/ {2}diskUnlock: tang\n {2}tang:\n[\s\S]*?threshold: 2\n/, "  diskUnlock: tpm2\n");
    expect(text).not.toBe(SPEC);
    const vars = inventoryOf(text).all.vars;
    expect(vars.luks_data_disk_unlock).toBe("tpm2");
    expect(vars.luks_data_disk_tang_servers).toBeUndefined();
  });

  it("leaves an unencrypted disk to the guest's owner and keeps the place-based names of the others", () => {
    const host = inventoryOf(SPEC.replace("{ sizeGiB: 100 }", "{ sizeGiB: 100, encrypted: false }")).all.children.db.hosts["vault-db-1"];
    expect(host.luks_data_disks).toEqual([{ device: "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_pcdk-luks-2", name: "data2_crypt", mount_point: "/srv/data2" }]);
  });

  it("does not turn the role on for a VM without data disks", () => {
    const inv = inventoryOf(SPEC.replace(/ {4}dataDisks:\n(?: {6}- .*\n)+/, ""));
    expect(inv.all.children.db.hosts["vault-db-1"].luks_data_disk_enabled).toBeUndefined();
    expect(inv.all.vars.luks_data_disk_unlock).toBeUndefined();
  });
});

describe("the Ansible inventory of adopted guests", () => {
  const ADOPTED = `adopted:
  legacy-db: { vmid: 4050, node: pve1, cores: 1, memoryMiB: 512, tier: db, disk: { interface: scsi0, storage: local-lvm, sizeGiB: 4 }, network: { bridge: vmbr0 } }
  legacy-solo: { vmid: 4051, node: pve1, cores: 1, memoryMiB: 512, disk: { interface: scsi0, storage: local-lvm, sizeGiB: 4 }, network: { bridge: vmbr0 } }
`;
  const rows: VmRow[] = [
    ...vms,
    { name: "legacy-db", id: 4050, node: "pve1", ipv4: "10.40.0.90", tier: "db" },
    { name: "legacy-solo", id: 4051, node: "pve1", ipv4: "10.40.0.91", tier: "legacy-solo" },
  ];
  const inventory = () => buildInventory(resolveDefaults(parseEnvironment(`${SPEC}${ADOPTED}`, "environments/vault.yaml")), rows) as Inventory;

  it("hands an adopted VM in a tier with encrypted data disks none of the tier's disk paths", () => {
    // GIVEN the db tier with an encrypted data disk and an adopted VM that joins it WHEN the inventory is built
    const hosts = inventory().all.children.db.hosts;
    // THEN the tier's VM keeps its disks, and the adopted VM (which has only its root disk) gets none
    expect(hosts["vault-db-1"].luks_data_disk_enabled).toBe(true);
    expect(hosts["legacy-db"]).toMatchObject({ tier: "db", proxmox_guest_type: "qemu", proxmox_vmid: 4050 });
    expect(hosts["legacy-db"].luks_data_disk_enabled).toBeUndefined();
    expect(hosts["legacy-db"].luks_data_disks).toBeUndefined();
  });

  it("puts an adopted guest without a tier in no group", () => {
    const groups = inventory().all.children;
    expect(Object.values(groups).flatMap((g) => Object.keys(g.hosts))).not.toContain("legacy-solo");
  });
});
