import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ANSIBLE_DIR, describeRun, PlaybookRun, runPlaybook } from "./ansible-cli";
import { CHROOT_HOST, ChrootHost, createChrootHost, disposeChrootHost } from "./chroot-fixture";
import { runChecked, runCommand } from "./run-command";
import { startTangServer, TangServer } from "./tang-server";

// luks_data_disk with luks_data_disk_unlock=tang, for real: a LUKS2 container on a file-backed data disk
// (a loop device, whose node the Debian root gets at a /dev/disk/by-id path) bound by the guest's clevis to a
// tang server on 127.0.0.1. This machine has no device-mapper ("Cannot initialize device-mapper"), so nothing
// is opened or mounted (hardening_manage_services=false): the proof that the volume unlocks without a human
// is `clevis luks pass`, whose key cryptsetup accepts.
jest.setTimeout(10 * 60_000);

/** Where the data disk appears inside the root (a block node of the loop device). */
const DEVICE = "/dev/disk/by-id/virtio-proxmox-cdk-data";
const DISK_BYTES = 64 * 1024 * 1024;

let host: ChrootHost;
let procMounted = false;
let loopDevice: string | undefined;
const loopDevices: string[] = [];
let tang: TangServer;
let passphrase: string;
let firstRun: PlaybookRun;
let secondRun: PlaybookRun;

/** Applies luks_data_disk alone with the given vars. */
async function applyRole(vars: Record<string, unknown>): Promise<PlaybookRun> {
  const playbook = path.join(host.workDir, "luks.yml");
  const play = [{ name: "Encrypt the data disk", hosts: "all", gather_facts: false, roles: [{ role: path.join(ANSIBLE_DIR, "roles", "luks_data_disk") }] }];
  fs.writeFileSync(playbook, JSON.stringify(play));
  return runPlaybook(["-i", host.inventory, ...host.extraVars("luks", vars), playbook]);
}

/** The role's vars for a data disk at `device` (`<name>_crypt` on /srv/<name>) bound to `servers`, `threshold` of which must answer. */
function tangVars(device: string, name: string, servers: readonly TangServer[], threshold: number): Record<string, unknown> {
  return {
    luks_data_disk_enabled: true,
    luks_data_disk_device: device,
    luks_data_disk_name: `${name}_crypt`,
    luks_data_disk_mount_point: `/srv/${name}`,
    luks_data_disk_tang_servers: servers.map((s) => ({ url: s.url, thp: s.thumbprint })),
    luks_data_disk_tang_threshold: threshold,
    luks_data_disk_passphrase: randomBytes(32).toString("base64"),
  };
}

/** Attaches a fresh empty file as a loop device and gives the root a block node for it at `device`. */
async function attachDisk(device: string): Promise<string> {
  const backing = path.join(host.workDir, `${path.basename(device)}.img`);
  fs.writeFileSync(backing, "");
  fs.truncateSync(backing, DISK_BYTES);
  const loop = (await runChecked("losetup", ["--find", "--show", backing])).stdout.trim();
  loopDevices.push(loop);
  const [major, minor] = (await runChecked("stat", ["-c", "%t %T", loop])).stdout
    .trim()
    .split(" ")
    .map((hex) => String(parseInt(hex, 16)));
  fs.mkdirSync(path.join(host.root, path.dirname(device)), { recursive: true });
  await runChecked("mknod", ["-m", "0600", path.join(host.root, device), "b", major, minor]);
  return loop;
}

function attachedLoop(): string {
  if (!loopDevice) throw new Error("no loop device attached (beforeAll failed)");
  return loopDevice;
}

/** `clevis luks pass` of the first clevis slot, run by the guest's own clevis. */
function clevisPass(device = DEVICE): ReturnType<ChrootHost["chroot"]> {
  return host.chroot(["/usr/bin/clevis", "luks", "pass", "-d", device, "-s", "1"]);
}

beforeAll(async () => {
  host = await createChrootHost({});
  // clevis-encrypt-tang reads through bash process substitution (/dev/fd -> /proc/self/fd): a booted
  // guest has /proc, the chroot gets it for the test (unmounted before the root is deleted).
  await runChecked("mount", ["-t", "proc", "proc", path.join(host.root, "proc")]);
  procMounted = true;
  tang = await startTangServer(path.join(host.workDir, "tang-db"));
  // GIVEN an empty data disk and a recovery passphrase as it would come out of ansible-vault
  // (community.crypto.luks_device refuses a regular file: "is not a device")
  loopDevice = await attachDisk(DEVICE);
  passphrase = randomBytes(32).toString("base64");
  const vars = {
    luks_data_disk_enabled: true,
    luks_data_disk_device: DEVICE,
    luks_data_disk_unlock: "tang",
    luks_data_disk_tang_servers: [{ url: tang.url, thp: tang.thumbprint }],
    luks_data_disk_passphrase: passphrase,
  };
  // WHEN the role runs twice
  firstRun = await applyRole(vars);
  secondRun = await applyRole(vars);
}, 40 * 60_000);

afterAll(async () => {
  await tang?.stop();
  for (const loop of loopDevices) await runChecked("losetup", ["--detach", loop]);
  if (procMounted) await runChecked("umount", [path.join(host.root, "proc")]);
  disposeChrootHost(host);
});

describe("luks_data_disk bound to tang", () => {
  it("completes and changes the fresh disk", () => {
    expect({ status: firstRun.status, run: describeRun(firstRun) }).toMatchObject({ status: 0 });
    expect(firstRun.stats[CHROOT_HOST].changed).toBeGreaterThan(0);
  });

  it("formats the disk as LUKS2", async () => {
    const dump = await host.chroot(["/usr/sbin/cryptsetup", "luksDump", DEVICE]);
    expect(dump.status).toBe(0);
    expect(dump.stdout).toMatch(/^Version:\s+2$/m);
  });

  it("binds one clevis tang slot to the loopback server", async () => {
    const list = await host.chroot(["/usr/bin/clevis", "luks", "list", "-d", DEVICE]);
    expect({ status: list.status, stdout: list.stdout.trim() }).toEqual({ status: 0, stdout: `1: tang '{"url":"${tang.url}"}'` });
  });

  it("recovers through tang a key that opens the LUKS header, without any human input", async () => {
    const pass = await clevisPass();
    expect({ status: pass.status, stderr: pass.stderr }).toEqual({ status: 0, stderr: "" });
    expect(pass.stdout.length).toBeGreaterThan(0);
    expect(pass.stdout).not.toContain(passphrase);
    const keyFile = path.join(host.workDir, "recovered.key");
    fs.writeFileSync(keyFile, pass.stdout, { mode: 0o600 });
    const open = await runCommand("cryptsetup", ["open", "--test-passphrase", "--key-slot", "1", "--key-file", keyFile, attachedLoop()]);
    expect({ status: open.status, stderr: open.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("keeps the recovery passphrase in slot 0 and writes it nowhere on the guest nor in the output", async () => {
    const keyFile = path.join(host.workDir, "recovery.key");
    fs.writeFileSync(keyFile, passphrase, { mode: 0o600 });
    const open = await runCommand("cryptsetup", ["open", "--test-passphrase", "--key-slot", "0", "--key-file", keyFile, attachedLoop()]);
    expect({ status: open.status, stderr: open.stderr }).toEqual({ status: 0, stderr: "" });
    const grep = await runCommand("grep", ["-rlsF", "--devices=skip", "--exclude-dir=proc", "--", passphrase, host.root]);
    expect({ status: grep.status, files: grep.stdout }).toEqual({ status: 1, files: "" });
    expect(firstRun.output + secondRun.output).not.toContain(passphrase);
    expect(fs.existsSync(path.join(host.root, "etc/luks-keys"))).toBe(false);
  });

  it("unlocks at boot after the network, with clevis answering instead of a key file", () => {
    expect(host.read("etc/crypttab")).toMatch(new RegExp(`^data_crypt\\s+${DEVICE}\\s+none\\s+luks,_netdev$`, "m"));
    expect(host.read("etc/fstab")).toMatch(/^\/dev\/mapper\/data_crypt\s+\/srv\/data\s+ext4\s+defaults,nodev,nosuid,_netdev\s/m);
  });

  it("reports changed=0 on the second run", () => {
    expect({ status: secondRun.status, run: describeRun(secondRun) }).toMatchObject({ status: 0 });
    expect(secondRun.stats[CHROOT_HOST]).toMatchObject({ changed: 0, failures: 0 });
  });

  // Last: it stops the server.
  it("cannot recover the key once tang is gone: the key is network-bound", async () => {
    await tang.stop();
    const pass = await clevisPass();
    expect(pass.status).not.toBe(0);
    expect(pass.stdout).toBe("");
  });
});

describe("luks_data_disk bound to two tang servers, both required (sss threshold 2)", () => {
  const DEVICE2 = "/dev/disk/by-id/virtio-proxmox-cdk-data2";
  const servers: TangServer[] = [];
  let run: PlaybookRun;
  let rerun: PlaybookRun;

  beforeAll(async () => {
    servers.push(await startTangServer(path.join(host.workDir, "tang-a")), await startTangServer(path.join(host.workDir, "tang-b")));
    await attachDisk(DEVICE2);
    const vars = tangVars(DEVICE2, "data2", servers, 2);
    run = await applyRole(vars);
    rerun = await applyRole(vars);
  }, 20 * 60_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it("binds one sss slot naming both servers, and changes nothing the second time", async () => {
    expect({ status: run.status, run: describeRun(run) }).toMatchObject({ status: 0 });
    expect(rerun.stats[CHROOT_HOST]).toMatchObject({ changed: 0, failures: 0 });
    const list = await host.chroot(["/usr/bin/clevis", "luks", "list", "-d", DEVICE2]);
    expect(list.stdout.trim()).toBe(`1: sss '{"t":2,"pins":{"tang":[{"url":"${servers[0].url}"},{"url":"${servers[1].url}"}]}}'`);
  });

  it("recovers the key while both answer and not once one is gone", async () => {
    expect((await clevisPass(DEVICE2)).status).toBe(0);
    await servers[1].stop();
    const pass = await clevisPass(DEVICE2);
    expect({ status: pass.status === 0 ? 0 : "failed", stdout: pass.stdout }).toEqual({ status: "failed", stdout: "" });
  });
});

describe("luks_data_disk rebinds when the wanted binding is stronger or pins other keys", () => {
  const DEVICE3 = "/dev/disk/by-id/virtio-proxmox-cdk-data3";
  const servers: TangServer[] = [];
  let vars: Record<string, unknown>;
  let oneOfTwo: PlaybookRun;
  let twoOfTwo: PlaybookRun;
  let again: PlaybookRun;
  let otherKey: PlaybookRun;
  const listed: Record<string, string> = {};

  const list = async () => (await host.chroot(["/usr/bin/clevis", "luks", "list", "-d", DEVICE3])).stdout.trim();

  beforeAll(async () => {
    servers.push(await startTangServer(path.join(host.workDir, "tang-c")), await startTangServer(path.join(host.workDir, "tang-d")));
    await attachDisk(DEVICE3);
    vars = tangVars(DEVICE3, "data3", servers, 1);
    // GIVEN a volume bound to either of two tang servers (threshold 1 of 2)
    oneOfTwo = await applyRole(vars);
    listed.oneOfTwo = await list();
    // WHEN the threshold is raised to 2, and the role runs once more unchanged
    twoOfTwo = await applyRole({ ...vars, luks_data_disk_tang_threshold: 2 });
    listed.twoOfTwo = await list();
    again = await applyRole({ ...vars, luks_data_disk_tang_threshold: 2 });
    // AND a thumbprint is changed to a key the first server does not sign with
    otherKey = await applyRole({
      ...vars,
      luks_data_disk_tang_threshold: 2,
      luks_data_disk_tang_servers: [
        { url: servers[0].url, thp: servers[1].thumbprint },
        { url: servers[1].url, thp: servers[1].thumbprint },
      ],
    });
    listed.otherKey = await list();
  }, 30 * 60_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  const sss = (t: number) => `1: sss '{"t":${t},"pins":{"tang":[{"url":"${servers[0].url}"},{"url":"${servers[1].url}"}]}}'`;

  it("replaces the 1-of-2 binding by a 2-of-2 binding, adding the new one before removing the old", () => {
    expect({ status: oneOfTwo.status, run: describeRun(oneOfTwo) }).toMatchObject({ status: 0 });
    expect(listed.oneOfTwo).toBe(sss(1));
    expect({ status: twoOfTwo.status, run: describeRun(twoOfTwo) }).toMatchObject({ status: 0 });
    expect(twoOfTwo.stats[CHROOT_HOST].changed).toBeGreaterThan(0);
    // the new binding took a new slot (2) while the old one (1) still worked; then slot 1 was wiped
    expect(listed.twoOfTwo).toBe(sss(2).replace(/^1:/, "2:"));
  });

  it("changes nothing when the binding is already the wanted one", () => {
    expect(again.stats[CHROOT_HOST]).toMatchObject({ changed: 0, failures: 0 });
  });

  it("does not keep a binding that trusts other keys: it tries to rebind, and keeps the working binding when that fails", async () => {
    // clevis refuses the advertisement of server 0 under the wrong thumbprint, so the rebind fails…
    expect(otherKey.status).not.toBe(0);
    expect(otherKey.output).toMatch(/Bind the volume to sss/);
    // …and the 2-of-2 binding is still there and still unlocks
    expect(listed.otherKey).toBe(listed.twoOfTwo);
    const pass = await host.chroot(["/usr/bin/clevis", "luks", "pass", "-d", DEVICE3, "-s", "2"]);
    expect(pass.status).toBe(0);
  });

  it("needs both servers after the rebind", async () => {
    await servers[1].stop();
    const pass = await host.chroot(["/usr/bin/clevis", "luks", "pass", "-d", DEVICE3, "-s", "2"]);
    expect({ status: pass.status === 0 ? 0 : "failed", stdout: pass.stdout }).toEqual({ status: "failed", stdout: "" });
  });
});

describe("luks_data_disk over the list of data disks the proxmox-cdk inventory hands it", () => {
  // The devices as HardenedVm names them: scsi1 and scsi2 with the serials pcdk-luks-1 and pcdk-luks-2.
  const DISKS = [1, 2].map((n) => ({
    device: `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_pcdk-luks-${n}`,
    name: `data${n}_crypt`,
    mount_point: `/srv/data${n}`,
  }));
  let server: TangServer;
  let run: PlaybookRun;
  let rerun: PlaybookRun;

  beforeAll(async () => {
    server = await startTangServer(path.join(host.workDir, "tang-list"));
    for (const d of DISKS) await attachDisk(d.device);
    const vars = {
      luks_data_disk_enabled: true,
      luks_data_disks: DISKS,
      luks_data_disk_unlock: "tang",
      luks_data_disk_tang_servers: [{ url: server.url, thp: server.thumbprint }],
      luks_data_disk_passphrase: randomBytes(32).toString("base64"),
    };
    run = await applyRole(vars);
    rerun = await applyRole(vars);
  }, 20 * 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("formats and binds every listed disk, each under its own name and mount point, and changes nothing the second time", async () => {
    expect({ status: run.status, run: describeRun(run) }).toMatchObject({ status: 0 });
    expect(rerun.stats[CHROOT_HOST]).toMatchObject({ changed: 0, failures: 0 });
    for (const d of DISKS) {
      expect((await clevisPass(d.device)).status).toBe(0);
      expect(host.read("etc/crypttab")).toMatch(new RegExp(`^${d.name}\\s+${d.device}\\s+none\\s+luks,_netdev$`, "m"));
      expect(host.read("etc/fstab")).toMatch(new RegExp(`^/dev/mapper/${d.name}\\s+${d.mount_point}\\s+ext4\\s`, "m"));
    }
  });
});
