import { DNS_LABEL, NODE_NAME } from "../envspec/identifiers";
import { LIMITS } from "../envspec/limits";
import { AdoptedGuestSchema, type AdoptedGuestSpec, type ResolvedEnvironment } from "../envspec";
import { adoptedChecks } from "../envspec/adopted-checks";
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
  const outbound = outboundFiltering(guest.firewall.options, guest.firewall.rules);
  if (outbound) return { reason: outbound };
  const notes = [
    ...guest.firewall.rules.map(
      (r) => `\`up\` removes its live firewall rule ${ruleText(r)}; the environment's intents for it replace its rules (none unless it joins a tier)`,
    ),
    ...(c.cipassword !== undefined
      ? [
          "its cloud-init password is removed from the PVE config by `up` after the apply (bpg/proxmox cannot remove one); a password cloud-init already set inside the guest keeps working (SSH until Ansible hardens the guest, the console until you lock it)",
        ]
      : []),
    ...liveDataNotes(c, guest.type),
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
  const invalid = specProblem(name, entry, env);
  if (invalid) return { reason: invalid };
  return { name, entry, notes };
}

/**
 * Why adopting would weaken the guest's outbound filtering, if it would: the adopted firewall is
 * outbound ACCEPT and manages the whole rule list, so a live outbound DROP/REJECT policy, OUT rules
 * and security groups (which may hold OUT rules) would all be lifted in place.
 */
function outboundFiltering(options: PveObject, rules: readonly PveObject[]): string | undefined {
  const policy = pveText(options.policy_out);
  const strict = policy !== undefined && policy !== "ACCEPT";
  const filtering = rules.filter((r) => r.type === "out" || r.type === "group");
  if (!strict && filtering.length === 0) return undefined;
  const what = [
    ...(strict ? [`outbound policy ${policy}`] : []),
    ...(filtering.length > 0 ? [`${filtering.length} outbound or security-group rule(s) (${filtering.map(ruleText).join("; ")})`] : []),
  ].join(" and ");
  return `its firewall has ${what}: adopting would open its outbound traffic (the adopted firewall is outbound ACCEPT and replaces the rule list), which proxmox-cdk does not do without you; put it in a tier by hand or relax its outbound filtering in PVE first if that is what you want`;
}

/** A live firewall rule in PVE's own rule syntax (values quoted when not plain), for the user to review. */
function ruleText(r: PveObject): string {
  const v = (x: unknown) => {
    const t = pveText(x);
    return t === undefined ? undefined : /^[A-Za-z0-9_.:,/+-]+$/.test(t) ? t : JSON.stringify(t);
  };
  const parts = [
    `#${typeof r.pos === "number" ? r.pos : "?"}`,
    (v(r.type) ?? "?").toUpperCase(),
    v(r.action) ?? "?",
    ...(
      [
        ["-i", r.iface],
        ["-source", r.source],
        ["-dest", r.dest],
        ["-p", r.proto],
        ["-dport", r.dport],
        ["-sport", r.sport],
        ["-macro", r.macro],
      ] as const
    ).flatMap(([flag, x]) => (v(x) === undefined ? [] : [`${flag} ${v(x)}`])),
    ...(pveBool(r.enable) === false ? ["(disabled)"] : []),
    ...(v(r.comment) !== undefined ? [`# ${v(r.comment)}`] : []),
  ];
  return parts.join(" ");
}

/** Live settings the adopted guest does not keep, each as a note. */
function liveDataNotes(c: PveObject, type: LiveGuest["type"]): string[] {
  const notes: string[] = [];
  const description = pveText(c.description);
  if (description !== undefined && description.trim() !== "" && description !== "Managed by proxmox-cdk")
    notes.push(`its description (${description.length} characters) is replaced by "Managed by proxmox-cdk"; copy it elsewhere first if you need it`);
  const net = type === "qemu" ? parseProperties(c.ipconfig0) : parseProperties(c.net0);
  const v6 = [net.ip6 !== undefined ? `ip6=${net.ip6}` : undefined, net.gw6 !== undefined ? `gw6=${net.gw6}` : undefined].filter((x) => x !== undefined);
  if (v6.length > 0)
    notes.push(`its IPv6 settings (${v6.join(", ")}${type === "qemu" ? " in ipconfig0" : " on net0"}) are dropped: the adopted guest is IPv4 only`);
  return notes;
}

/** Why the entry would not load as a spec entry (schema and field rules), if it would not. */
function specProblem(name: string, entry: AdoptedGuestSpec, env: ResolvedEnvironment): string | undefined {
  const parsed = AdoptedGuestSchema.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `its spec entry would not load: ${["adopted", name, ...issue.path.map(String)].join(".")} ${issue.message}`;
  }
  const raw = { name: env.name, nodes: [...env.nodes], tiers: {}, ...(env.vmIdRange ? { vmIdRange: { ...env.vmIdRange } } : {}), adopted: { [name]: entry } };
  const issue = adoptedChecks(raw)[0];
  return issue ? `its spec entry would not load: ${issue.path.join(".")} ${issue.message}` : undefined;
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
