/**
 * The whole key rotation with the REAL command: `proxmox-cdk rotate-keys` on a one-VM environment
 * deployed on the simulator (real terraform and provider), its Ansible push going through the chroot
 * connection to a debootstrapped Debian 12 root that stands for the deployed VM. The inventory names
 * the VM as its host, so the command's coverage check passes; the chroot connection runs locally, so
 * nothing contacts the simulator's invented 10.x guest address. Runs as root (chroot needs it).
 */
import * as fs from "fs";
import * as path from "path";
import { sshKeyFingerprint } from "../../../constructs/ssh-key-fingerprint";
import { RunningSimulator, startSimulator } from "../../../sim";
import { ChrootHost, CHROOT_HOST, createChrootHost, disposeChrootHost } from "../../ansible/chroot-fixture";
import { runChecked } from "../../ansible/run-command";
import { auditRecords, readSimState, runCli, targetVariables, tempProject } from "./cli-project";

jest.setTimeout(15 * 60_000);

const USER = "ops";
const OLD = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4zXkFHbms+x4apDPXCoTPCpCKulrz9Nm+CY6wswxdC old@example.com";
const NEW = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl new@example.com";
const body = (key: string) => key.split(" ")[1];

const SPEC = `name: keys
stage: dev
nodes: [pve1]
network:
  bridge:
    name: vmbr0
    vlan: 10
templates:
  debian12:
    url: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2
    checksum: ab297fb090ef5c5e44dd75484fa8c1788da7b8e87714f02126dd5e7d851feee61b43cb6398c84a6557d3c26b9e310e1a3ab1aae8ec004f112be7559dd0a7f18e
    checksumAlgorithm: sha512
tiers:
  web:
    count: 1
    memoryMiB: 1024
    diskGiB: 10
    template: debian12
stateBackend: local
cloudInit:
  user: ${USER}
  sshKeys:
    - { key: "${OLD}", added: "2026-12-01" }
`;

const project = tempProject({ "keys.yaml": SPEC });
let sim: RunningSimulator;
let env: Record<string, string>;
let host: ChrootHost;
const outputs: string[] = [];

/** The guest VMs of the simulator (templates left out): name and unescaped cloud-init keys. */
function simGuests(): { id: string; name: string; keys: string[] }[] {
  const vms = readSimState(project.simStateFile).slices.qemu.vms as Record<string, { conf: Record<string, string> }>;
  return Object.entries(vms)
    .filter(([, v]) => v.conf.template !== "1")
    .map(([id, v]) => ({
      id,
      name: v.conf.name,
      keys: decodeURIComponent(v.conf.sshkeys ?? "")
        .trim()
        .split("\n"),
    }));
}

const authorizedKeys = () => host.read(path.join("home", USER, ".ssh", "authorized_keys"));

beforeAll(async () => {
  sim = await startSimulator({ stateFile: project.simStateFile });
  env = { ...targetVariables(sim), PROXMOX_CDK_STATE_BACKEND: "local" };

  // GIVEN the one-VM environment deployed with the old key
  const up = await runCli(project, ["up", "keys", "--yes"], env);
  expect([up.exitCode, up.stderr]).toEqual([0, expect.any(String)]);

  // AND a Debian 12 root standing for that VM, whose login user has the old key
  host = await createChrootHost({});
  await runChecked("chroot", [host.root, "useradd", "--create-home", "--shell", "/bin/bash", USER]);
  const ssh = path.join(host.root, "home", USER, ".ssh");
  fs.mkdirSync(ssh, { mode: 0o700 });
  fs.writeFileSync(path.join(ssh, "authorized_keys"), `${OLD}\n`, { mode: 0o600 });
  await runChecked("chroot", [host.root, "chown", "-R", `${USER}:${USER}`, `/home/${USER}/.ssh`]);
}, 15 * 60_000);

afterAll(async () => {
  disposeChrootHost(host);
  await sim?.stop();
});

describe("rotate-keys end to end on a deployed VM reached through a chroot", () => {
  let vmsBefore: ReturnType<typeof simGuests>;
  let rotation: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    vmsBefore = simGuests();
    expect(vmsBefore.map((v) => [v.name, v.keys])).toEqual([["keys-web-1", [OLD]]]);
    expect(authorizedKeys()).toBe(`${OLD}\n`);

    // GIVEN an inventory whose only host is the deployed VM's name, with the chroot's connection settings
    const chrootVars = (JSON.parse(fs.readFileSync(host.inventory, "utf8")) as { all: { hosts: Record<string, Record<string, unknown>> } }).all.hosts[
      CHROOT_HOST
    ];
    expect(chrootVars.ansible_connection).toBe("community.general.chroot");
    const inventory = path.join(project.root, "tmp", "guests.json");
    fs.writeFileSync(inventory, JSON.stringify({ all: { hosts: { [vmsBefore[0].name]: chrootVars } } }, null, 2));

    // WHEN rotating the old key out and the new one in, guests included
    rotation = await runCli(project, ["rotate-keys", "keys", "--add", NEW, "--remove", sshKeyFingerprint(OLD), "--inventory", inventory], env, 15 * 60_000);
    outputs.push(rotation.output);
  }, 20 * 60_000);

  it("succeeds, and Ansible changed the deployed VM's host", () => {
    expect([rotation.exitCode, rotation.stderr]).toEqual([0, expect.any(String)]);
    expect(rotation.stdout).toMatch(/changed: \[keys-web-1\]/);
    expect(rotation.stdout).toContain(`Keys added: ${sshKeyFingerprint(NEW)}; removed: ${sshKeyFingerprint(OLD)}; guests: pushed.`);
  });

  it("leaves the root's login user with the new key only: the old key is gone", () => {
    const keys = authorizedKeys();
    expect(keys).toContain(body(NEW));
    expect(keys).not.toContain(body(OLD));
  });

  it("changes the VM in place: the plan adds and destroys nothing, and the same VM carries the new cloud-init key", () => {
    expect(rotation.stdout).toMatch(/Plan: 0 to add, [1-9]\d* to change, 0 to destroy\.\n/);
    expect(rotation.stdout).not.toMatch(/replace/i);
    expect(simGuests()).toEqual([{ ...vmsBefore[0], keys: [NEW] }]);
  });

  it("leaves nothing to apply: a second plan is empty", async () => {
    const r = await runCli(project, ["plan", "keys"], env);
    outputs.push(r.output);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  });

  it("audits the rotation by fingerprint, and no key's body appears in the audit log or any output", () => {
    const rotations = auditRecords(project).filter((e) => e.action === "rotate-keys");
    expect(rotations.map((e) => [e.result, e.keys])).toEqual([
      ["ok", { added: [sshKeyFingerprint(NEW)], removed: [sshKeyFingerprint(OLD)], guests: "pushed" }],
    ]);
    const log = fs.readFileSync(project.auditLog, "utf8");
    for (const key of [OLD, NEW]) {
      expect(log).not.toContain(body(key));
      expect(outputs.join("\n")).not.toContain(body(key));
    }
  });
});
