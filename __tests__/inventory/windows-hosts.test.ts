import * as fs from "fs";
import * as path from "path";
import { buildInventory, tiersLeftOut, VmRow } from "../../inventory/ansible-inventory";
import { parseEnvironment, resolveDefaults } from "../../envspec";

const env = resolveDefaults(parseEnvironment(fs.readFileSync(path.join(__dirname, "..", "envspec", "windows.yaml"), "utf8"), "environments/windev.yaml"));
const vms: VmRow[] = [
  { name: "windev-desk-1", id: 1016, node: "pve1", ipv4: "10.50.0.33", tier: "desk" },
  { name: "windev-desk-2", id: 1017, node: "pve1", ipv4: "10.50.0.34", tier: "desk" },
  { name: "windev-db-1", id: 1516, node: "pve1", ipv4: "10.50.0.17", tier: "db" },
];

type Hosts = Record<string, Record<string, unknown>>;

describe("the Ansible inventory of an environment with a Windows tier", () => {
  const inventory = buildInventory(env, vms) as { all: { children: Record<string, { hosts: Hosts }> } };

  it("leaves the Windows tier out, so the Debian SSH hardening never runs against it, and says why", () => {
    // GIVEN a Windows tier WHEN the inventory is built THEN only the Linux tier is a group
    expect(Object.keys(inventory.all.children)).toEqual(["db"]);
    // AND the tier left out is named with the reason (the inventory command prints it)
    expect(tiersLeftOut(env)).toEqual([{ tier: "desk", reason: expect.stringMatching(/^Windows guests: the Ansible roles .* harden Debian 12 over SSH/) }]);
  });

  it("still gives the Linux tier the Windows VMs' addresses as nftables sources, as the intents say", () => {
    expect(inventory.all.children.db.hosts["windev-db-1"].nftables_allowed_inbound).toEqual([
      { proto: "tcp", port: 5432, from: ["10.50.0.33", "10.50.0.34"], comment: "desk to db postgres" },
    ]);
  });
});
