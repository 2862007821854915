import { dependable } from "cdktf";
import { Construct } from "constructs";
import { Connections, IConnectable } from "./connections";
import { createHash } from "crypto";
import { FirewallAlias } from "./firewall-alias";
import { FirewallIpSet } from "./firewall-ipset";
import { HardenedVm, HardenedVmProps } from "./hardened-vm";
import { checkCidr, checkDnsLabel, checkIntRange, ipv4ToText, parseIpv4 } from "./input-checks";

/** Static addressing of a group: member i gets `network + firstHost + i`. */
export interface Ipv4Pool {
  /** The subnet, e.g. `10.20.0.0/24`. */
  readonly cidr: string;
  /** Host number of the first member inside the subnet. @default 10 */
  readonly firstHost?: number;
  /** Default gateway. @default none */
  readonly gateway?: string;
  /**
   * Prefix length of the on-link network when the pool is a slice of a larger subnet
   * (pool 10.30.0.16/28 inside 10.30.0.0/24 → 24).
   * @default the pool's own prefix
   */
  readonly networkPrefixLength?: number;
}

/** Props of {@link VmGroup}: the per-VM props of {@link HardenedVmProps} minus what the group sets. */
export interface VmGroupProps extends Omit<HardenedVmProps, "node" | "name" | "vmId" | "ipv4"> {
  /** Number of identical VMs (1-500). */
  readonly count: number;
  /** Name prefix; members are `<prefix>-1`, `<prefix>-2`, … */
  readonly namePrefix: string;
  /** Nodes to spread members across, round-robin. */
  readonly nodes: readonly string[];
  /**
   * VM id of the first member; others follow consecutively. Give one whenever members are cloned in
   * parallel: PVE's `/cluster/nextid` reserves nothing, so clones asking for ids at once can collide
   * (EnvironmentStack always gives one).
   * @default allocated by PVE (`/cluster/nextid`)
   */
  readonly firstVmId?: number;
  /** Static addresses; without it members use DHCP and the IP set lists their agent-reported addresses. @default DHCP */
  readonly ipv4Pool?: Ipv4Pool;
  /**
   * Chain the clones from the template into this many lanes (each clone waits for the VM before
   * it in its lane), for slow storage only. Without it every member is cloned in parallel, bounded
   * by terraform's `-parallelism` (10 by default): PVE holds the target storage's lock only while
   * it allocates a volume (`vdisk_alloc`, about a second on LVM-thin) and copies the data outside
   * it, so parallel clones of one stopped template overlap and queue only for allocations — which
   * PVE waits at most 10 s for (`can't lock file '/var/lock/pve-manager/pve-storage-<storage>' -
   * got timeout`; bpg/proxmox does not retry a clone task that failed). Set it when one allocation
   * on the target storage takes longer than 10 s divided by terraform's parallelism (e.g. a busy
   * pmxcfs for shared storage, an overloaded LVM volume group): k lanes keep at most k clones
   * queueing. Measured in docs/benchmarks.md ("Clones").
   * @default no chains (parallel clones)
   */
  readonly cloneConcurrency?: number;
  /**
   * Members' IP set name; with an `ipv4Pool` the base of it: the set is named
   * `<base>-<8 hex digits>` after its membership (the base cut to 55 characters). @default namePrefix
   */
  readonly ipSetName?: string;
}

/**
 * N identical hardened VMs (e.g. a k3s node group) spread across nodes, cloned in parallel, with an IP set of their addresses so that the group is one firewall peer:
 * `db.connections.allowFrom(webGroup, Port.POSTGRES)` opens the database to every member.
 */
export class VmGroup extends Construct implements IConnectable {
  /** The members, in order. */
  readonly members: readonly HardenedVm[];
  /** Firewall intents applied to every member; as a peer the group is its IP set. */
  readonly connections: Connections;
  /**
   * IP set of the members' addresses. With an `ipv4Pool` it is named `<ipSetName>-<version>`: a new
   * set for every new membership, created before the old one goes, so adding a member never leaves
   * rules naming a missing set. Put other addresses in a set of their own — an entry added here
   * does not change the version.
   */
  readonly ipSet: FirewallIpSet;

  constructor(scope: Construct, id: string, props: VmGroupProps) {
    super(scope, id);
    const owner = `VmGroup "${id}"`;
    checkIntRange(owner, "count", props.count, 1, 500, "a typo must not create thousands of VMs");
    checkDnsLabel(owner, "namePrefix", props.namePrefix);
    if (props.nodes.length === 0) throw new Error(`${owner}: nodes is empty — list at least one node to place VMs on.`);
    const lanes = props.cloneConcurrency;
    if (lanes !== undefined) checkIntRange(owner, "cloneConcurrency", lanes, 1, 64);
    const addresses = props.ipv4Pool ? allocate(owner, props.ipv4Pool, props.count) : undefined;

    const members: HardenedVm[] = [];
    for (let i = 0; i < props.count; i++) {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the named bindings take the group-only props out of vmProps
      const { count: _c, namePrefix: _n, nodes: _ns, firstVmId: _f, ipv4Pool: _p, cloneConcurrency: _l, ipSetName: _s, ...vmProps } = props;
      const vm = new HardenedVm(this, `${props.namePrefix}-${i + 1}`, {
        ...vmProps,
        node: props.nodes[i % props.nodes.length],
        name: `${props.namePrefix}-${i + 1}`,
        vmId: props.firstVmId !== undefined ? props.firstVmId + i : undefined,
        ipv4: addresses ? { address: addresses[i], gateway: props.ipv4Pool?.gateway } : "dhcp",
      });
      // dependable() renders the bare address Terraform wants in depends_on (fqn alone renders "${…}").
      if (props.template && lanes !== undefined && i >= lanes) vm.resource.dependsOn = [...(vm.resource.dependsOn ?? []), dependable(members[i - lanes].resource)];
      members.push(vm);
    }
    this.members = members;

    // Static members are listed by address. A DHCP member's address (what its guest agent reports)
    // goes through an alias of its own, which the provider updates in place when the address changes.
    const entries = members.map((m, i) => {
      // Host entries are bare addresses: PVE drops a /32, and the difference would never converge.
      if (addresses) return { cidr: addresses[i].split("/")[0], comment: m.name };
      const alias = new FirewallAlias(this, `${m.name}-address`, { name: m.name, cidr: m.ipv4Address, comment: `address of ${m.name}` });
      return { cidr: alias.peer.address, label: m.name, comment: m.name };
    });
    this.ipSet = memberSet(this, props.ipSetName ?? props.namePrefix, entries, `members of ${props.namePrefix}`);
    const ipSet = this.ipSet;
    this.connections = new Connections({
      peer: () => ipSet.peer,
      egressRestricted: (props.firewall?.outboundPolicy ?? "ACCEPT") !== "ACCEPT",
      onRule: (rule) => members.forEach((m) => m.connections.add(rule)),
    });
  }
}

/** Longest base of a member set's name: PVE allows 64 characters, the version takes 9. */
const MEMBER_SET_BASE_LENGTH = 55;

/**
 * The IP set of a group's members. bpg/proxmox replaces an IP set whenever its entries change (every
 * `cidr` field is ForceNew): it deletes the set, then creates it, and pve-firewall skips rules
 * naming a set that does not exist (inbound traffic they allowed is dropped meanwhile).
 *
 * Static members (literal addresses): the set is versioned by its membership — name
 * `<base>-<8 hex>`, construct id `ipset-<8 hex>` — and created before the old one is destroyed, so
 * Terraform creates the new set, moves the rules to it in place and only then deletes the old one:
 * no rule ever names a missing set (`__tests__/e2e/constructs/tier-growth-e2e.test.ts`).
 * DHCP members: the set lists an alias per member (an address change updates the alias in place)
 * under a fixed name; a new membership still replaces the set, with a short window, because the
 * set depends on the VMs and create-before-destroy would spread to them (docs/environment-spec.md,
 * "Growing a tier").
 */
export function memberSet(scope: Construct, base: string, entries: ReadonlyArray<{ cidr: string; label?: string; comment: string }>, comment: string): FirewallIpSet {
  const plain = entries.map((e) => ({ cidr: e.cidr, comment: e.comment }));
  if (entries.some((e) => e.label !== undefined)) return new FirewallIpSet(scope, "ipset", { name: base, entries: plain, comment });
  const version = createHash("sha256").update(JSON.stringify([base, plain])).digest("hex").slice(0, 8);
  return new FirewallIpSet(scope, `ipset-${version}`, {
    name: `${base.slice(0, MEMBER_SET_BASE_LENGTH)}-${version}`,
    label: base,
    entries: plain,
    comment,
    createBeforeDestroy: true,
  });
}

/** The static addresses (with the on-link prefix) of `count` members of `pool`, checked. */
export function allocate(owner: string, pool: Ipv4Pool, count: number): string[] {
  checkCidr(owner, "ipv4Pool.cidr", pool.cidr, { network: true });
  const [net, prefixText] = pool.cidr.split("/");
  const prefix = Number(prefixText);
  const first = pool.firstHost ?? 10;
  const capacity = 2 ** (32 - prefix) - 2;
  if (first < 1 || first + count - 1 > capacity) {
    throw new Error(`${owner}: ipv4Pool ${pool.cidr} has no room for ${count} hosts from host ${first} — use a larger subnet or a lower firstHost.`);
  }
  const onLink = pool.networkPrefixLength ?? prefix;
  checkIntRange(owner, "ipv4Pool.networkPrefixLength", onLink, 1, prefix);
  const base = parseIpv4(net) as number;
  return Array.from({ length: count }, (_, i) => `${ipv4ToText(base + first + i)}/${onLink}`);
}
