import { DNS_LABEL, NODE_NAME } from "../envspec/identifiers";
import { LIMITS } from "../envspec/limits";
import type { AdoptedGuestSpec, ResolvedEnvironment } from "../envspec";
import type { LiveGuest, PveObject } from "../scan/live-snapshot";
import { ManagedBy } from "../scan/managed-guests";
import { isCloudinit } from "../sim/qemu/drive";
import { netKeys, parseProperties, pveBool, pveInt, pveTags, pveText, storageOf } from "../scan/pve-properties";

/** What the adoption of one guest is checked against. */
export interface AdoptionContext {
  readonly env: ResolvedEnvironment;
  /** Names already taken in the environment (tier VMs, adopted guests). */
  readonly takenNames: ReadonlySet<string>;
  /** Guest ids adopted by any environment's spec, with the spec file and name. */
  readonly adoptedIds: ReadonlyMap<number, string>;
  /** How the guest is managed already (state or tag), if it is. */
  readonly managedBy?: ManagedBy;
  /** HA resources of the cluster (`GET /cluster/ha/resources`). */
  readonly haResources: readonly PveObject[];
}

/** A guest that can be adopted: its name and spec entry. */
export interface Adoptable {
  readonly name: string;
  readonly entry: AdoptedGuestSpec;
  /** What the first apply changes beyond the hardening, for the user to review (e.g. firewall rules removed). */
  readonly notes: readonly string[];
}

/** A guest left out, with why. */
export interface NotAdoptable {
  readonly reason: string;
}

const TAG = /^[a-z0-9_][a-z0-9_+.-]{0,63}$/;
const DISK_KEY = /^(ide|sata|scsi|virtio)(\d+)$/;
/** Devices HardenedVm does not model: importing them would have the first plan remove them. */
const UNSUPPORTED_VM_KEYS: readonly [RegExp, string][] = [
  [/^efidisk0$/, "an EFI disk"],
  [/^tpmstate0$/, "a TPM state"],
  [/^hostpci\d+$/, "a PCI passthrough device"],
  [/^usb\d+$/, "a USB device"],
  [/^virtiofs\d+$/, "a virtiofs share"],
  [/^audio\d+$/, "an audio device"],
];

/**
 * Whether a live guest can be adopted by the environment in place — nothing Terraform would
 * replace, no device the hardened constructs drop — and, if so, its spec entry with the live node,
 * id, sizes, disk and network. Checked before anything is written.
 */
export function adoptableGuest(guest: LiveGuest, ctx: AdoptionContext): Adoptable | NotAdoptable {
  const c = guest.config;
  const what = guest.type === "qemu" ? "VM" : "container";
  if (pveBool(c.template)) return { reason: `a ${what} template, not a guest` };
  if (ctx.managedBy) {
    return {
      reason:
        "state" in ctx.managedBy ? `already managed by environment ${ctx.managedBy.state} (its Terraform state)` : `already managed (tag ${ctx.managedBy.tag})`,
    };
  }
  const adoptedBy = ctx.adoptedIds.get(guest.vmid);
  if (adoptedBy) return { reason: `already adopted (${adoptedBy}); a guest is adopted once` };
  const env = ctx.env;
  if (!env.nodes.includes(guest.node)) return { reason: `runs on node ${guest.node}, which is not one of the environment's nodes (${env.nodes.join(", ")})` };
  if (!NODE_NAME.test(guest.node)) return { reason: `node name ${JSON.stringify(guest.node)} is not a PVE node name` };
  const range = env.vmIdRange;
  if (range && (guest.vmid < range.start || guest.vmid > range.end))
    return { reason: `id ${guest.vmid} is outside the environment's vmIdRange ${range.start}..${range.end}` };
  const name = pveText(guest.type === "qemu" ? c.name : c.hostname) ?? "";
  if (!DNS_LABEL.test(name)) return { reason: `its name ${JSON.stringify(name)} is not a DNS label (lowercase letters, digits, -); rename it in PVE first` };
  if (ctx.takenNames.has(name)) return { reason: `the name ${name} is already taken in the environment` };
  const ha = ctx.haResources.find((r) => r.sid === `${guest.type === "qemu" ? "vm" : "ct"}:${guest.vmid}`);
  if (ha && env.ha.enabled)
    return { reason: `it already has an HA resource (${String(ha.sid)}); the environment would create a second one — remove it in PVE first` };
  const tags = pveTags(c.tags);
  const badTag = tags.find((t) => !TAG.test(t));
  if (badTag !== undefined) return { reason: `tag ${JSON.stringify(badTag)} is not lowercase (${TAG.source}); the spec keeps tags as written` };
  if (tags.length > LIMITS.tagsPerTier) return { reason: `it has ${tags.length} tags, more than ${LIMITS.tagsPerTier}` };
  const nets = netKeys(c);
  if (nets.length !== 1 || nets[0] !== "net0")
    return {
      reason: `it has ${nets.length === 0 ? "no network device" : `network devices ${nets.join(", ")}`}; only guests with exactly net0 are adopted for now`,
    };
  const result = guest.type === "qemu" ? vmEntry(c) : containerEntry(c);
  if ("reason" in result) return result;
  const memoryMiB = pveInt(c.memory) ?? 512;
  if (memoryMiB < LIMITS.memoryMiB.min) return { reason: `memory ${memoryMiB} MiB is below the spec's minimum of ${LIMITS.memoryMiB.min} MiB` };
  const cores = (pveInt(c.cores) ?? 1) * (guest.type === "qemu" ? (pveInt(c.sockets) ?? 1) : 1);
  if (cores > LIMITS.cores.max) return { reason: `${cores} vCPUs, more than ${LIMITS.cores.max}` };
  const rules = guest.firewall.rules.length;
  const notes = [
    ...(rules > 0 ? [`its ${rules} firewall rule(s) are replaced by the environment's intents for it (none unless it joins a tier)`] : []),
    ...(c.cipassword !== undefined ? ["its cloud-init password is removed by `up` after the apply (bpg/proxmox cannot remove one)"] : []),
  ];
  const entry: AdoptedGuestSpec = {
    ...(guest.type === "lxc" ? { kind: "container" as const } : {}),
    vmid: guest.vmid,
    node: guest.node,
    cores,
    memoryMiB,
    ...result.entry,
    ...(tags.length > 0 ? { tags } : {}),
    ...(guest.pool !== undefined ? { pool: guest.pool } : {}),
  };
  return { name, entry, notes };
}

type Partial = { entry: Omit<AdoptedGuestSpec, "vmid" | "node" | "cores" | "memoryMiB" | "kind" | "tags" | "pool"> } | NotAdoptable;

function vmEntry(c: PveObject): Partial {
  for (const key of Object.keys(c)) {
    const hit = UNSUPPORTED_VM_KEYS.find(([re]) => re.test(key));
    if (hit) return { reason: `it has ${hit[1]} (${key}), which the hardened VM does not model yet` };
  }
  if (typeof c.ostype === "string" && /^(win|wxp|w2k)/.test(c.ostype))
    return { reason: `it is a Windows guest (ostype ${c.ostype}); Windows VMs are not adopted yet` };
  const drives = Object.keys(c)
    .filter((k) => DISK_KEY.test(k))
    .map((key) => ({ key, d: parseProperties(c[key], "file") }));
  const cdrom = drives.find(({ d }) => d.media === "cdrom" && d.file !== "none" && !isCloudinit({ file: d.file ?? "" }));
  if (cdrom) return { reason: `it has a CD-ROM with a medium (${cdrom.key}); eject it first` };
  const disks = drives.filter(({ d }) => d.media !== "cdrom" && d.file !== undefined && d.file !== "none" && !isCloudinit({ file: d.file }));
  if (disks.length !== 1)
    return { reason: `it has ${disks.length} disks (${disks.map((d) => d.key).join(", ") || "none"}); only single-disk VMs are adopted for now` };
  const [{ key, d }] = disks;
  if (!key.startsWith("scsi")) return { reason: `its disk is on ${key}; the hardened VM's disk is on SCSI, and moving buses would detach it` };
  const disk = diskOf(d.file, d.size, key);
  if ("reason" in disk) return disk;
  const net = nicOf(c.net0);
  if ("reason" in net) return net;
  const nic = parseProperties(c.net0, "model");
  if (!("virtio" in nic) && nic.model !== "virtio")
    return { reason: "its NIC is not a VirtIO NIC; the hardened VM's is, and changing the model gives it a new device" };
  const ip = parseProperties(c.ipconfig0);
  const ipv4 = ip.ip === undefined ? "dhcp" : ip.ip;
  if (ipv4 !== "dhcp" && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(ipv4))
    return { reason: `its cloud-init ipconfig0 ip=${ipv4} is neither dhcp nor an IPv4 address with prefix` };
  return { entry: { disk: { interface: key, ...disk }, network: net, ...(ipv4 !== "dhcp" ? { ipv4 } : {}), ...(ip.gw ? { gateway: ip.gw } : {}) } };
}

function containerEntry(c: PveObject): Partial {
  if (!pveBool(c.unprivileged)) return { reason: "it is a privileged container; bpg/proxmox replaces a container to make it unprivileged" };
  if (c.features !== undefined && c.features !== "")
    return { reason: `it has features (${pveText(c.features) ?? "set"}); turning them off needs root@pam, so remove them in PVE first` };
  const mp = Object.keys(c).find((k) => /^mp\d+$/.test(k));
  if (mp) return { reason: `it has a mount point (${mp}), which the hardened container does not model yet` };
  const root = parseProperties(c.rootfs, "volume");
  const disk = diskOf(root.volume, root.size, "rootfs");
  if ("reason" in disk) return disk;
  const n = parseProperties(c.net0);
  if (n.name !== undefined && n.name !== "eth0") return { reason: `its net0 is named ${n.name}; the hardened container's interface is eth0` };
  const net = nicOf(c.net0);
  if ("reason" in net) return net;
  if (!pveBool(n.firewall)) {
    return {
      reason:
        "its net0 has the firewall flag off, and bpg/proxmox 0.111.1 cannot change a container's network device in place (the update sends `delete` as a list, which PVE refuses); set firewall=1 on net0 in PVE first",
    };
  }
  if (n.ip === undefined || n.ip === "dhcp" || n.ip === "manual")
    return { reason: `its address is ${n.ip ?? "unset"}; a hardened container needs a static IPv4 (set one in PVE first)` };
  return { entry: { disk, network: net, ipv4: n.ip, ...(n.gw ? { gateway: n.gw } : {}), ...(pveInt(c.swap) ? { swapMiB: pveInt(c.swap) } : {}) } };
}

function diskOf(volume: string | undefined, size: string | undefined, key: string): { storage: string; sizeGiB: number } | NotAdoptable {
  const storage = storageOf(volume);
  if (!storage) return { reason: `its ${key} (${volume ?? "none"}) is not a volume on a PVE storage` };
  const m = size ? /^(\d+)G$/.exec(size) : null;
  const t = size ? /^(\d+)T$/.exec(size) : null;
  const sizeGiB = m ? Number(m[1]) : t ? Number(t[1]) * 1024 : undefined;
  if (sizeGiB === undefined) return { reason: `its ${key} size ${size ?? "(unknown)"} is not a whole number of GiB; the spec would resize it` };
  if (sizeGiB < LIMITS.diskGiB.min || sizeGiB > LIMITS.diskGiB.max)
    return { reason: `its ${key} size ${sizeGiB} GiB is outside ${LIMITS.diskGiB.min}..${LIMITS.diskGiB.max}` };
  return { storage, sizeGiB };
}

function nicOf(net0: unknown): { bridge: string; vlan?: number } | NotAdoptable {
  const n = parseProperties(net0, "model");
  if (!n.bridge || !/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(n.bridge)) return { reason: `its net0 has no usable bridge (${n.bridge ?? "none"})` };
  if (n.trunks !== undefined || n.rate !== undefined || n.mtu !== undefined || n.queues !== undefined)
    return { reason: "its net0 has trunks, a rate limit, MTU or queues, which the hardened NIC does not model" };
  const vlan = pveInt(n.tag);
  return { bridge: n.bridge, ...(vlan !== undefined ? { vlan } : {}) };
}
