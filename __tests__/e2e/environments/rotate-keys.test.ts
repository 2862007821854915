/**
 * `proxmox-cdk rotate-keys` end to end on dev with the embedded simulator and the real terraform and
 * provider: the cloud-init keys change in place (no VM replaced), the spec keeps its comments, and
 * neither the audit log nor the output carries key material. The guests of the simulator have
 * invented 10.x addresses that nothing may connect to, so the Ansible push is skipped with the
 * explicit --no-guests here; rotate-keys-chroot.test.ts runs the whole command, push included, with
 * an inventory whose host is a debootstrapped Debian root (chroot connection).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { sshKeyFingerprint } from "../../../constructs/ssh-key-fingerprint";
import { readSimState, runCli, tempProject } from "./cli-project";

jest.setTimeout(10 * 60_000);

const project = tempProject(["dev"]);
const spec = path.join(project.root, "environments", "dev.yaml");
const before = fs.readFileSync(spec, "utf8");
const OLD = /key: "(ssh-ed25519 [^"]+)"/.exec(before)![1];

/** A fresh ed25519 key pair made by ssh-keygen; returns the public key line. */
function newPublicKey(name: string): string {
  const file = path.join(project.root, "tmp", name);
  const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `${name}@example.com`, "-f", file], { encoding: "utf8" });
  expect(r.status).toBe(0);
  return fs.readFileSync(`${file}.pub`, "utf8").trim();
}

/** The sshkeys of every VM (templates left out) in the simulator, unescaped, by name. */
function simKeys(): Record<string, string[]> {
  const vms = readSimState(project.simStateFile).slices.qemu.vms as Record<string, { conf: Record<string, string> }>;
  return Object.fromEntries(
    Object.values(vms)
      .filter((v) => v.conf.template !== "1" && v.conf.sshkeys !== undefined)
      .map((v) => [v.conf.name, decodeURIComponent(v.conf.sshkeys).trim().split("\n")]),
  );
}

const comments = (text: string) => text.split("\n").filter((l) => l.trim().startsWith("#"));

describe("rotate-keys on dev", () => {
  const NEW = newPublicKey("k2");
  const outputs: string[] = [];
  let vmIdsBefore: string[];

  beforeAll(async () => {
    const up = await runCli(project, ["up", "dev"]);
    expect([up.exitCode, up.stderr]).toEqual([0, expect.any(String)]);
    vmIdsBefore = Object.keys(readSimState(project.simStateFile).slices.qemu.vms as object).sort();
  }, 10 * 60_000);

  it("refuses to remove the last key and leaves the spec untouched", async () => {
    const r = await runCli(project, ["rotate-keys", "dev", "--remove", sshKeyFingerprint(OLD)]);
    outputs.push(r.output);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("would remove the last key");
    expect(fs.readFileSync(spec, "utf8")).toBe(before);
  });

  it("replaces the old key by the new one in place: only updates, no VM destroyed or replaced", async () => {
    // WHEN rotating K1 -> K2 (the key from a .pub file)
    const r = await runCli(project, [
      "rotate-keys",
      "dev",
      "--add",
      `@${path.join(project.root, "tmp", "k2.pub")}`,
      "--remove",
      sshKeyFingerprint(OLD),
      "--no-guests",
    ]);
    outputs.push(r.output);

    // THEN the plan changed VMs in place only, and the run says the guests were not pushed to
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
    expect(r.stdout).toMatch(/Plan: 0 to add, [1-9]\d* to change, 0 to destroy\.\n/);
    expect(r.stdout).not.toMatch(/replace/i);
    expect(r.stdout).toContain("--no-guests: the guests' authorized_keys are NOT changed");
    expect(r.stdout).toContain(`Keys added: ${sshKeyFingerprint(NEW)}; removed: ${sshKeyFingerprint(OLD)}; guests: skipped.`);

    // AND every VM of the simulator (the same VMs as before) has exactly the new key in its cloud-init
    expect(Object.keys(readSimState(project.simStateFile).slices.qemu.vms as object).sort()).toEqual(vmIdsBefore);
    const keys = simKeys();
    expect(Object.keys(keys).length).toBeGreaterThan(0);
    for (const list of Object.values(keys)) expect(list).toEqual([NEW]);
  });

  it("leaves nothing to apply: a second plan is empty", async () => {
    const r = await runCli(project, ["plan", "dev"]);
    outputs.push(r.output);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  });

  it("writes the new key with today's date into the spec, keeping every comment", () => {
    const after = fs.readFileSync(spec, "utf8");
    expect(after).toContain(`- { key: "${NEW}", added: "${new Date().toISOString().slice(0, 10)}" }`);
    expect(after).not.toContain(OLD.split(" ")[1]);
    expect(comments(after)).toEqual(comments(before));
    expect(comments(before).length).toBeGreaterThan(3);
  });

  it("audits the rotation by fingerprint, and no key material appears in the audit log or any output", () => {
    const log = fs.readFileSync(project.auditLog, "utf8");
    const entries = log
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rotations = entries.filter((e) => e.action === "rotate-keys");
    expect(rotations.map((e) => [e.result, e.keys])).toEqual([
      ["ok", { added: [sshKeyFingerprint(NEW)], removed: [sshKeyFingerprint(OLD)], guests: "skipped" }],
    ]);
    for (const key of [OLD, NEW]) {
      const body = key.split(" ")[1];
      expect(log).not.toContain(body);
      expect(outputs.join("\n")).not.toContain(body);
    }
  });

  it("refuses a rotation whose plan would also create something, and restores the spec", async () => {
    // GIVEN a spec edited since the last up: one more web VM
    const rotated = fs.readFileSync(spec, "utf8");
    const grown = rotated.replace("\n  web:\n", "\n  web:\n    count: 2\n");
    expect(grown).not.toBe(rotated);
    fs.writeFileSync(spec, grown);

    // WHEN rotating again
    const r = await runCli(project, ["rotate-keys", "dev", "--add", OLD, "--no-guests"]);
    outputs.push(r.output);

    // THEN nothing is applied: the refusal names the create, and the spec is as it was before the run
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/rotate-keys changes the keys in place, but the plan would also create \S*web/);
    expect(fs.readFileSync(spec, "utf8")).toBe(grown);
    for (const list of Object.values(simKeys())) expect(list).toEqual([NEW]);
  });
  /** The spec as the rotation left it (the previous test grew the web tier). */
  const rotatedSpec = () => {
    const text = fs.readFileSync(spec, "utf8").replace("\n  web:\n    count: 2\n", "\n  web:\n");
    expect(text).toContain(NEW);
    expect(text).not.toContain("count: 2");
    return text;
  };

  it("refuses before any push when the inventory has no host for a deployed VM, and restores the spec", async () => {
    // GIVEN the rotated spec and an inventory that names none of the environment's VMs
    const rotated = rotatedSpec();
    fs.writeFileSync(spec, rotated);
    const inventory = path.join(project.root, "tmp", "other-hosts.yml");
    fs.writeFileSync(inventory, "all:\n  hosts:\n    elsewhere:\n      ansible_host: 127.0.0.1\n");

    // WHEN rotating with that inventory
    const r = await runCli(project, ["rotate-keys", "dev", "--add", OLD, "--inventory", inventory]);
    outputs.push(r.output);

    // THEN it fails naming the missing guests, Ansible never ran, and spec and guests are as before
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/The inventory \S+other-hosts\.yml has no host for \S+ \(/);
    expect(r.stderr).toContain("Nothing was pushed.");
    expect(r.stdout).not.toContain("ansible-playbook rotate-keys.yml");
    expect(fs.readFileSync(spec, "utf8")).toBe(rotated);
    for (const list of Object.values(simKeys())) expect(list).toEqual([NEW]);
  });

  it("refuses --push together with --add", async () => {
    const r = await runCli(project, ["rotate-keys", "dev", "--push", "--add", OLD]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("give it without --add and --remove");
  });

  it("finishes a run that failed after the push started with --push: the spec's keys are applied in place and audited", async () => {
    // GIVEN the spec a failed run leaves: a second key added, not yet on the guests
    const rotated = rotatedSpec();
    const line = rotated.split("\n").find((l) => l.includes(NEW))!;
    const failed = rotated.replace(`${line}\n`, `${line}\n${line.replace(NEW, OLD)}\n`);
    expect(failed).toContain(OLD);
    fs.writeFileSync(spec, failed);

    // WHEN pushing the spec's keys again (cloud-init only here: nothing may connect to the simulator's guests)
    const r = await runCli(project, ["rotate-keys", "dev", "--push", "--no-guests"]);
    outputs.push(r.output);

    // THEN the VMs carry exactly the spec's keys, changed in place, the spec is untouched, and the run is audited
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
    expect(r.stdout).toContain(`pushing the spec's keys again (${sshKeyFingerprint(NEW)}, ${sshKeyFingerprint(OLD)})`);
    expect(r.stdout).toMatch(/Plan: 0 to add, [1-9]\d* to change, 0 to destroy\.\n/);
    expect(r.stdout).toContain("Keys added: none; removed: none; guests: skipped.");
    expect(fs.readFileSync(spec, "utf8")).toBe(failed);
    expect(Object.keys(readSimState(project.simStateFile).slices.qemu.vms as object).sort()).toEqual(vmIdsBefore);
    for (const list of Object.values(simKeys())) expect(list).toEqual([NEW, OLD]);
    const rotations = fs
      .readFileSync(project.auditLog, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.action === "rotate-keys" && e.result === "ok");
    expect(rotations[rotations.length - 1].keys).toEqual({ added: [], removed: [], guests: "skipped" });
    expect(fs.readFileSync(project.auditLog, "utf8")).not.toContain(OLD.split(" ")[1]);
  });
});
