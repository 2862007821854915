import { LiveGuest, LiveSnapshot, PveObject } from "../../scan/live-snapshot";

/**
 * Live-configuration fixtures: PVE's own JSON as the API returns it, around a compliant baseline
 * cluster (datacenter firewall on with inbound DROP, no tokens, no custom roles) and a compliant
 * VM (dev, agent on, firewalled NIC, firewall on with inbound DROP, key-only cloud-init user,
 * discarding disk). A case changes only what its rule is about.
 */

/** The public key of the fixtures, URL-encoded as PVE stores `sshkeys`. */
export const SSHKEYS = encodeURIComponent("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyForLiveScanTests ops@example\n");

/** A compliant VM's configuration (`GET /nodes/pve1/qemu/<vmid>/config`) with `config` on top; a key set to undefined is removed. */
export function liveVm(vmid: number, config: Readonly<Record<string, unknown>> = {}, firewall: Partial<LiveGuest["firewall"]> = {}, pool?: string): LiveGuest {
  const base: Record<string, unknown> = {
    name: `vm${vmid}`,
    tags: "dev;proxmox-cdk",
    onboot: 1,
    agent: "enabled=1,fstrim_cloned_disks=1",
    cpu: "x86-64-v2-AES",
    ostype: "l26",
    scsi0: `local-lvm:vm-${vmid}-disk-0,discard=on,iothread=1,size=8G`,
    ide2: `local-lvm:vm-${vmid}-cloudinit,media=cdrom`,
    net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1",
    ciuser: "ops",
    sshkeys: SSHKEYS,
  };
  const merged = Object.fromEntries(Object.entries({ ...base, ...config }).filter(([, v]) => v !== undefined)) as PveObject;
  return {
    type: "qemu",
    node: "pve1",
    vmid,
    ...(pool ? { pool } : {}),
    config: merged,
    firewall: { options: { enable: 1, policy_in: "DROP" }, rules: [], ipsets: [], aliases: [], ...firewall },
  };
}

/** A compliant container's configuration (`GET /nodes/pve1/lxc/<vmid>/config`) with `config` on top; a key set to undefined is removed. */
export function liveCt(vmid: number, config: Readonly<Record<string, unknown>> = {}, firewall: Partial<LiveGuest["firewall"]> = {}): LiveGuest {
  const base: Record<string, unknown> = {
    hostname: `ct${vmid}`,
    tags: "dev;proxmox-cdk",
    onboot: 1,
    unprivileged: 1,
    ostype: "debian",
    arch: "amd64",
    cores: 1,
    memory: 512,
    swap: 0,
    rootfs: `local-lvm:vm-${vmid}-disk-0,size=8G`,
    net0: "name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:00:01:01,ip=10.0.0.50/24,type=veth",
  };
  const merged = Object.fromEntries(Object.entries({ ...base, ...config }).filter(([, v]) => v !== undefined)) as PveObject;
  return {
    type: "lxc",
    node: "pve1",
    vmid,
    config: merged,
    firewall: { options: { enable: 1, policy_in: "DROP" }, rules: [], ipsets: [], aliases: [], ...firewall },
  };
}

/** A compliant cluster with `changes` on top. */
export function liveCluster(changes: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    nodes: ["pve1"],
    cluster: { options: { enable: 1, policy_in: "DROP" }, rules: [], ipsets: [], aliases: [], groups: [] },
    guests: [liveVm(100)],
    acl: [],
    users: [],
    roles: [],
    backupJobs: [],
    haResources: [],
    storages: DEFAULT_STORAGES,
    ...changes,
  };
}

/** `GET /storage` of a fresh PVE install: the `local` directory and the `local-lvm` thin pool. */
export const DEFAULT_STORAGES: readonly PveObject[] = [
  { storage: "local", type: "dir", path: "/var/lib/vz", content: "backup,import,iso,snippets,vztmpl", digest: "0".repeat(40) },
  { storage: "local-lvm", type: "lvmthin", vgname: "pve", thinpool: "data", content: "images,rootdir", digest: "0".repeat(40) },
];

/** A PBS storage as `GET /storage` lists it: `encryption-key` is the key's fingerprint (or `1`), absent without a key. */
export function livePbs(storage: string, encryptionKey?: string): PveObject {
  return {
    storage,
    type: "pbs",
    server: "pbs.example.invalid",
    datastore: "store1",
    username: "backup@pbs",
    content: "backup",
    shared: 1,
    ...(encryptionKey !== undefined ? { "encryption-key": encryptionKey } : {}),
    digest: "0".repeat(40),
  };
}

/** A prod VM with every prod safeguard: protection, on boot, a VLAN, in backup job `daily` and HA. */
export function prodVm(vmid: number, config: Readonly<Record<string, unknown>> = {}): LiveGuest {
  return liveVm(vmid, { tags: "prod;proxmox-cdk", protection: 1, net0: "virtio=BC:24:11:00:00:02,bridge=vmbr0,firewall=1,tag=20", ...config });
}

/** The fingerprint of the fixtures' PBS encryption key, as storage.cfg keeps it. */
export const KEY_FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, "0")).join(":");

/** What a prod VM needs around it: a backup job with retention onto an encrypted PBS storage that selects it, and an HA resource. */
export function prodCluster(guests: readonly LiveGuest[], changes: Partial<LiveSnapshot> = {}): LiveSnapshot {
  const ids = guests.map((g) => g.vmid).join(",");
  return liveCluster({
    guests,
    storages: [...DEFAULT_STORAGES, livePbs("pbs", KEY_FINGERPRINT)],
    backupJobs: [{ id: "backup-daily", type: "vzdump", enabled: 1, vmid: ids, schedule: "daily", storage: "pbs", "prune-backups": "keep-daily=7" }],
    haResources: guests.map((g) => ({ sid: `vm:${g.vmid}`, state: "started", type: "vm" })),
    ...changes,
  });
}

/** One live-applicable rule's live fixtures: clusters that break it (named variants) and one that complies. */
export interface LiveRuleCase {
  readonly ruleId: string;
  readonly bad: Readonly<Record<string, LiveSnapshot>>;
  readonly good: LiveSnapshot;
}
