/**
 * A VM replaced by `up` keeps its firewall: PVE's destroy_vm removes the VM's firewall config, so
 * the firewall resources of a VM that is replaced under the same id are replaced with it.
 */
import * as fs from "fs";
import * as path from "path";
import { readSimState, REPO, runCli, tempProject } from "./cli-project";

// dev with fixed VM ids and a second template, so that moving a tier to it replaces the VM under the same id
const base = fs.readFileSync(path.join(REPO, "environments", "dev.yaml"), "utf8");
const spec = base
  .replace(/^stage: dev$/m, "stage: dev\nvmIdRange: { start: 1000, end: 1099 }")
  .replace(
    /^templates:\n/m,
    "templates:\n  debian12b:\n    url: https://cloud.debian.org/images/cloud/bookworm/20250101-0000/debian-12-genericcloud-amd64-20250101.qcow2\n    checksumAlgorithm: sha512\n    checksum: " +
      "a".repeat(128) +
      "\n",
  );
const project = tempProject({ "dev.yaml": spec });
const specFile = path.join(project.root, "environments", "dev.yaml");

const slices = (): Record<string, any> => readSimState(project.simStateFile).slices;
function vmIdOf(name: string): number {
  const vms = slices().qemu.vms as Record<string, { vmid: number; conf: Record<string, string> }>;
  const vm = Object.values(vms).find((v) => v.conf.name === name);
  if (!vm) throw new Error(`no VM ${name} in the simulator`);
  return vm.vmid;
}

describe("a VM replaced by up", () => {
  it("deploys dev with fixed ids", async () => {
    expect(spec).toContain("debian12b:");
    const r = await runCli(project, ["up", "dev"]);
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
  }, 300_000);

  it("comes back under the same id with its firewall options and rules, and a re-plan shows no changes", async () => {
    // GIVEN dev-web-1's firewall in the simulator
    const id = vmIdOf("dev-web-1");
    const firewallBefore = slices().firewall.guests[String(id)];
    expect(firewallBefore.rules.length).toBeGreaterThan(0);

    // WHEN the web tier moves to the other template and up runs with consent
    const text = fs.readFileSync(specFile, "utf8");
    const moved = text.replace(/(\n {2}web:\n(?: {4}.*\n)*? {4}template: )debian12\n/, "$1debian12b\n");
    expect(moved).not.toBe(text);
    fs.writeFileSync(specFile, moved);
    const r = await runCli(project, ["up", "dev", "--yes"]);

    // THEN the VM was replaced, its firewall resources with it
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}replace dev\/tier-web\/\S+ \(proxmox_virtual_environment_vm\.tier-web_dev-web-1_vm_\w+\) — forced by clone/m);
    expect(r.stdout).toMatch(
      /Replacing too what PVE deletes with the replaced VMs \(firewall, HA, backup job\): .*proxmox_virtual_environment_firewall_rules\.tier-web_dev-web-1_firewall_rules_\w+/,
    );
    // AND the new VM has the same id and the same firewall as before
    expect(vmIdOf("dev-web-1")).toBe(id);
    const firewallAfter = slices().firewall.guests[String(id)];
    expect([firewallAfter?.options, firewallAfter?.rules]).toEqual([firewallBefore.options, firewallBefore.rules]);
    const plan = await runCli(project, ["plan", "dev"]);
    expect([plan.exitCode, plan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }, 300_000);
});
