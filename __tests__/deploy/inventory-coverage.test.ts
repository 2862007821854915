/**
 * Which deployed guests an Ansible inventory misses: rotate-keys refuses to push when any is, since
 * Ansible leaves a guest it has no host for untouched and still exits 0.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { guestsMissingFromInventory, inventoryHosts } from "../../deploy/inventory-coverage";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import { renderInventory, VmRow } from "../../inventory/ansible-inventory";
import { minimalSpec } from "../envspec/minimal-spec";

const VMS: VmRow[] = [
  { name: "web-1", id: 101, node: "pve1", ipv4: "10.0.0.11", tier: "web" },
  { name: "web-2", id: 102, node: "pve1", ipv4: "10.0.0.12", tier: "web" },
];

describe("guestsMissingFromInventory", () => {
  it("finds no guest missing when every guest is a host by name or by ansible_host", () => {
    expect(guestsMissingFromInventory(VMS, [{ name: "web-1" }, { name: "db", address: "10.0.0.12" }])).toEqual([]);
  });

  it("names every deployed guest the inventory has no host for", () => {
    expect(guestsMissingFromInventory(VMS, [{ name: "web-1" }])).toEqual([VMS[1]]);
    expect(guestsMissingFromInventory(VMS, [])).toEqual(VMS);
  });

  it("does not take an empty address as a match", () => {
    const noAddress = [{ ...VMS[0], ipv4: "" }];
    expect(guestsMissingFromInventory(noAddress, [{ name: "other", address: "" }])).toEqual(noAddress);
  });
});

describe("inventoryHosts (ansible-inventory --list)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-coverage-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the hosts of the inventory proxmox-cdk generates, so each deployed VM is covered", async () => {
    // GIVEN the generated inventory of an environment with two VMs
    const env = resolveDefaults(
      parseEnvironment(
        minimalSpec({ cloudInit: "  user: ops\n  sshKeys:\n    - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl a@b\n" }),
        "shop.yaml",
      ),
    );
    const file = path.join(dir, "generated.yml");
    fs.writeFileSync(
      file,
      renderInventory(
        env,
        VMS.map((v) => ({ ...v, tier: "web" })),
      ),
    );
    // WHEN Ansible reads it THEN both VMs are hosts, with their addresses, and none is missing
    const hosts = await inventoryHosts(file, dir);
    expect(hosts).toEqual(
      expect.arrayContaining([
        { name: "web-1", address: "10.0.0.11" },
        { name: "web-2", address: "10.0.0.12" },
      ]),
    );
    expect(guestsMissingFromInventory(VMS, hosts)).toEqual([]);
  }, 60_000);

  it("reads an INI inventory a user gives, and an empty one has no hosts", async () => {
    const ini = path.join(dir, "hosts.ini");
    fs.writeFileSync(ini, "[web]\n10.0.0.11\n");
    const empty = path.join(dir, "empty.yml");
    fs.writeFileSync(empty, "all:\n  hosts: {}\n");
    expect(guestsMissingFromInventory(VMS, await inventoryHosts(ini, dir))).toEqual([VMS[1]]);
    expect(await inventoryHosts(empty, dir)).toEqual([]);
  }, 60_000);
});
