/**
 * A prod environment whose VMs have encrypted data disks and an extra NIC, with backups to an
 * encrypted PBS target, end to end on the simulator: `up` applies it, the next plan is empty, a
 * data disk added to the spec is an in-place update, and `destroy --unprotect` removes it all.
 * A second environment unlocks its disks with tpm2, so its VMs get a vTPM.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { readSimState, runCli, targetVariables, tempProject } from "./cli-project";

const KEYS = "    - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4zXkFHbms+x4apDPXCoTPCpCKulrz9Nm+CY6wswxdC alice@example.com\n";

/** A small prod environment: two nodes (HA), one db VM with data disks and a second NIC, PBS backups. */
function spec(name: string, ids: number, dataProtection: string, dataDisks = "      - { sizeGiB: 8 }\n      - { sizeGiB: 4 }\n"): string {
  return `name: ${name}
stage: prod
nodes: [pve1, pve2]
vmIdRange: { start: ${ids}, end: ${ids + 20} }
network:
  bridge: { name: vmbr0, vlan: 40, subnet: 10.40.0.0/24, gateway: 10.40.0.1 }
templates:
  debian12:
    url: https://cloud.debian.org/images/cloud/bookworm/20250428-2096/debian-12-genericcloud-amd64-20250428-2096.qcow2
    checksum: ab297fb090ef5c5e44dd75484fa8c1788da7b8e87714f02126dd5e7d851feee61b43cb6398c84a6557d3c26b9e310e1a3ab1aae8ec004f112be7559dd0a7f18e
    checksumAlgorithm: sha512
tiers:
  db:
    template: debian12
    ipv4: 10.40.0.16/28
    dataDisks:
${dataDisks}    nics:
      - { bridge: vmbr1, vlan: 50 }
${dataProtection}backups:
  storage: pbs-${name}
  pbs: { server: pbs.example.invalid, datastore: ${name}, username: pve@pbs }
cloudInit:
  user: ops
  sshKeys:
${KEYS}`;
}

const TANG = "dataProtection:\n  tang:\n    - { url: http://tang1.example.invalid:7500, thumbprint: x100_0-5p3K8YBmXpfLxPLTZEgdA1mUqW2s9QBpPkw4 }\n";
const project = tempProject({ "vault.yaml": spec("vault", 4000, TANG), "vtpm.yaml": spec("vtpm", 4100, "dataProtection: { diskUnlock: tpm2 }\n") });
let sim: RunningSimulator;
let env: Record<string, string>;
beforeAll(async () => {
  sim = await startSimulator({ stateFile: project.simStateFile });
  env = { ...targetVariables(sim), PROXMOX_CDK_STATE_BACKEND: "local", TF_VAR_pbs_password: "pbs-secret-from-the-environment" };
});
afterAll(async () => {
  await sim?.stop();
});

type SimVm = { vmid: number; conf: Record<string, string> };
function vmNamed(name: string): SimVm | undefined {
  return Object.values(readSimState(project.simStateFile).slices.qemu.vms as Record<string, SimVm>).find((v) => v.conf.name === name);
}

describe("prod with encrypted data disks and an encrypted PBS backup target", () => {
  it("applies the data disks with their encryption serials and the firewalled second NIC, then re-plans empty", async () => {
    // GIVEN vault.yaml (tang) WHEN `up vault --yes` runs
    const r = await runCli(project, ["up", "vault", "--yes"], env);
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);

    // THEN PVE holds scsi1/scsi2 with the serials the guest finds them by, net1 with the firewall, no vTPM
    const vm = vmNamed("vault-db-1")!;
    expect(vm.conf.scsi1).toMatch(/^local-lvm:vm-\d+-disk-\d+,.*serial=pcdk-luks-1.*size=8G/);
    expect(vm.conf.scsi2).toMatch(/serial=pcdk-luks-2.*size=4G/);
    expect(vm.conf.net1).toMatch(/bridge=vmbr1,firewall=1,tag=50/);
    expect(vm.conf.tpmstate0).toBeUndefined();
    // AND the backups go to the encrypted PBS storage
    const defs = readSimState(project.simStateFile).slices.storage.defs as { storage: string; pbs?: { encryptionKey?: string } }[];
    expect(defs.find((d) => d.storage === "pbs-vault")?.pbs?.encryptionKey).toMatch(/^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);

    // WHEN planned again THEN nothing changes
    const plan = await runCli(project, ["plan", "vault"], env);
    expect([plan.exitCode, plan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }, 600_000);

  it("adds a data disk in place, keeping the VM and its disks", async () => {
    // GIVEN the applied VM WHEN the spec appends a third data disk and `up` runs
    const before = vmNamed("vault-db-1")!;
    const file = path.join(project.root, "environments", "vault.yaml");
    fs.writeFileSync(file, spec("vault", 4000, TANG, "      - { sizeGiB: 8 }\n      - { sizeGiB: 4 }\n      - { sizeGiB: 2 }\n"));
    const plan = await runCli(project, ["plan", "vault"], env);
    expect(plan.stdout).toMatch(/Plan: 0 to add, [1-9]\d* to change, 0 to destroy\./);
    const r = await runCli(project, ["up", "vault", "--yes"], env);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/up vault: 0 added, [1-9]\d* changed, 0 destroyed/)]);

    // THEN the same VM has the new disk next to the old ones, unchanged
    const after = vmNamed("vault-db-1")!;
    expect(after.vmid).toBe(before.vmid);
    expect([after.conf.scsi1, after.conf.scsi2]).toEqual([before.conf.scsi1, before.conf.scsi2]);
    expect(after.conf.scsi3).toMatch(/serial=pcdk-luks-3.*size=2G/);
    const again = await runCli(project, ["plan", "vault"], env);
    expect([again.exitCode, again.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }, 600_000);

  it("destroys it with destroy --unprotect", async () => {
    const r = await runCli(project, ["destroy", "vault", "--unprotect", "--yes"], env);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/destroy vault: 0 added, 0 changed, [1-9]\d* destroyed/)]);
    expect(readSimState(project.simStateFile).slices.qemu.vms).toEqual({});
  }, 600_000);

  // Applied after vault is gone: both environments manage the cluster firewall, so destroying one
  // changes what the other's state recorded (and its unprotect apply would no longer change nothing else).
  it("gives the VMs of a tpm2 environment a vTPM 2.0, re-plans empty and destroys", async () => {
    const r = await runCli(project, ["up", "vtpm", "--yes"], env);
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
    const vm = vmNamed("vtpm-db-1")!;
    expect(vm.conf.tpmstate0).toMatch(/^local-lvm:vm-\d+-disk-\d+,.*version=v2\.0/);
    expect(vm.conf.scsi1).toMatch(/serial=pcdk-luks-1/);
    const plan = await runCli(project, ["plan", "vtpm"], env);
    expect([plan.exitCode, plan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
    const gone = await runCli(project, ["destroy", "vtpm", "--unprotect", "--yes"], env);
    expect([gone.exitCode, gone.stdout]).toEqual([0, expect.stringMatching(/destroy vtpm: 0 added, 0 changed, [1-9]\d* destroyed/)]);
    expect(readSimState(project.simStateFile).slices.qemu.vms).toEqual({});
  }, 600_000);
});
