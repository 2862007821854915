import * as fs from "fs";
import * as path from "path";
import { buildInventory, VmRow } from "../../inventory/ansible-inventory";
import { parseEnvironment, resolveDefaults } from "../../envspec";

const env = resolveDefaults(parseEnvironment(fs.readFileSync(path.join(__dirname, "..", "envspec", "containers.yaml"), "utf8"), "environments/ctdev.yaml"));
const vms: VmRow[] = [
  { name: "ctdev-db-1", id: 1516, node: "pve1", ipv4: "10.40.0.17", tier: "db" },
  { name: "ctdev-cache-1", id: 1016, node: "pve1", ipv4: "10.40.0.33", tier: "cache" },
  { name: "ctdev-cache-2", id: 1017, node: "pve1", ipv4: "10.40.0.34", tier: "cache" },
];

type Hosts = Record<string, Record<string, unknown>>;
const inventory = buildInventory(env, vms) as { all: { vars: Record<string, unknown>; children: Record<string, { hosts: Hosts }> } };

describe("the Ansible inventory of an environment with containers", () => {
  it("logs into containers as root without become and marks them lxc", () => {
    // GIVEN a container tier WHEN the inventory is built THEN its hosts override the VM login
    const cache = inventory.all.children.cache.hosts;
    expect(Object.keys(cache)).toEqual(["ctdev-cache-1", "ctdev-cache-2"]);
    for (const host of Object.values(cache))
      expect(host).toMatchObject({ ansible_user: "root", ansible_become: false, proxmox_guest_type: "lxc", tier: "cache" });
  });

  it("keeps the cloud-init user and become for the VM tier", () => {
    const db = inventory.all.children.db.hosts["ctdev-db-1"];
    expect(db).toMatchObject({ proxmox_guest_type: "qemu", ansible_host: "10.40.0.17" });
    expect(db.ansible_user).toBeUndefined();
    expect(inventory.all.vars).toMatchObject({ ansible_user: "ops", ansible_become: true });
  });

  it("gives containers and VMs each other's addresses as nftables sources, as the intents say", () => {
    expect(inventory.all.children.cache.hosts["ctdev-cache-1"].nftables_allowed_inbound).toEqual([
      { proto: "tcp", port: 6379, from: ["10.40.0.17"], comment: "db to cache tcp/6379" },
    ]);
    expect(inventory.all.children.db.hosts["ctdev-db-1"].nftables_allowed_inbound).toEqual([
      { proto: "tcp", port: 5432, from: ["10.40.0.33", "10.40.0.34"], comment: "cache to db postgres" },
    ]);
  });
});
