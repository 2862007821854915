import { dependable } from "cdktf";
import { Construct } from "constructs";
import { Connections, IConnectable } from "./connections";
import { FirewallAlias } from "./firewall-alias";
import { FirewallIpSet } from "./firewall-ipset";
import { HardenedVm, HardenedVmProps } from "./hardened-vm";
import { Peer } from "./peer";
import { checkIntRange } from "./input-checks";
import { allocate, Ipv4Pool, memberSet, memberSlots } from "./group-members";

export type { Ipv4Pool } from "./group-members";

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
  /**
   * Static addresses; without it members use DHCP, each has an alias of its agent-reported address
   * and rules to or from the group name every member's alias (one rule per member).
   * @default DHCP
   */
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
   * Base of the members' IP set name (only with an `ipv4Pool`; a DHCP group has no set): the set is
   * named `<base>-<8 hex digits>` after its membership (the base cut to 55 characters).
   * @default namePrefix
   */
  readonly ipSetName?: string;
}

/**
 * N identical hardened VMs (e.g. a k3s node group) spread across nodes, cloned in parallel, addressable as one firewall peer
 * (an IP set of their static addresses, or with DHCP an alias per member):
 * `db.connections.allowFrom(webGroup, Port.POSTGRES)` opens the database to every member.
 */
export class VmGroup extends Construct implements IConnectable {
  /** The members, in order. */
  readonly members: readonly HardenedVm[];
  /** Firewall intents applied to every member; as a peer the group is its IP set (static) or its members' aliases (DHCP). */
  readonly connections: Connections;
  /**
   * With an `ipv4Pool`: the IP set of the members' addresses, named `<ipSetName>-<version>` — a new
   * set for every new membership, created before the old one goes, so adding a member never leaves
   * rules naming a missing set. Put other addresses in a set of their own — an entry added here
   * does not change the version. Without a pool (DHCP) there is no set: rules name the members'
   * aliases ({@link memberAliases}).
   * @default undefined for a DHCP group
   */
  readonly ipSet?: FirewallIpSet;
  /**
   * DHCP members' aliases (one per member, named after it, standing for its agent-reported address),
   * which rules to and from the group name one by one; empty with an `ipv4Pool`.
   */
  readonly memberAliases: readonly FirewallAlias[];

  constructor(scope: Construct, id: string, props: VmGroupProps) {
    super(scope, id);
    const owner = `VmGroup "${id}"`;
    const slots = memberSlots(owner, props, "VMs");
    const lanes = props.cloneConcurrency;
    if (lanes !== undefined) checkIntRange(owner, "cloneConcurrency", lanes, 1, 64);
    const addresses = props.ipv4Pool ? allocate(owner, props.ipv4Pool, props.count) : undefined;

    const members: HardenedVm[] = [];
    const { count: _c, namePrefix: _n, nodes: _ns, firstVmId: _f, ipv4Pool: _p, cloneConcurrency: _l, ipSetName: _s, ...vmProps } = props;
    for (const [i, slot] of slots.entries()) {
      const vm = new HardenedVm(this, slot.name, {
        ...vmProps,
        ...slot,
        ipv4: addresses ? { address: addresses[i], gateway: props.ipv4Pool?.gateway } : "dhcp",
      });
      // dependable() renders the bare address Terraform wants in depends_on (fqn alone renders "${…}").
      if (props.template && lanes !== undefined && i >= lanes)
        vm.resource.dependsOn = [...(vm.resource.dependsOn ?? []), dependable(members[i - lanes].resource)];
      members.push(vm);
    }
    this.members = members;

    // Static members: one IP set of their addresses, versioned by membership (memberSet). DHCP
    // members: no set — rules name each member's alias (see dhcpMemberPeers).
    const peers = addresses
      ? memberSet(
          this,
          props.ipSetName ?? props.namePrefix,
          members.map((m, i) => ({ cidr: addresses[i].split("/")[0], comment: m.name })),
          `members of ${props.namePrefix}`,
        )
      : dhcpMemberPeers(this, members);
    this.ipSet = peers instanceof FirewallIpSet ? peers : undefined;
    this.memberAliases = peers instanceof FirewallIpSet ? [] : peers;
    const peer = (): Peer | readonly Peer[] => (peers instanceof FirewallIpSet ? peers.peer : peers.map((a) => a.peer));
    this.connections = new Connections({
      peer,
      egressRestricted: (props.firewall?.outboundPolicy ?? "ACCEPT") !== "ACCEPT",
      onRule: (rule) => members.forEach((m) => m.connections.add(rule)),
    });
  }
}

/**
 * A DHCP group's members as rule peers: an alias per member, named after it, standing for its
 * agent-reported address (an address change updates the alias in place). Rules name the aliases
 * themselves, one rule per member, rather than an IP set listing them: bpg/proxmox 0.111.1 replaces
 * an IP set whose entries change (`cidr` is ForceNew in `proxmoxtf/resource/firewall/ipset.go`; no
 * per-entry resource exists), a replaced set would have to be created before the old one is deleted
 * to leave no rule naming a missing set, and Terraform forces create-before-destroy onto everything
 * such a set depends on (hashicorp/terraform `ForcedCBDTransformer.hasCBDDescendant`, transform_destroy_cbd.go) — the
 * aliases, and through them the VMs, which would then be created before their predecessors release
 * their VM ids. Without it Terraform deletes the old set before it updates the rules naming it
 * (`DestroyEdgeTransformer`, transform_destroy_edge.go: creators wait for the destroyers they
 * depend on), and pve-firewall skips those rules meanwhile. Aliases are never replaced when the
 * membership changes, and the provider updates rule lists in place, creating new rules before it
 * deletes any (`RulesUpdate`, proxmoxtf/resource/firewall/rules.go): adding a member creates the
 * VM, then its alias, then adds a rule per intent to every peer — no rule ever names a missing
 * object. Removing a member is not as clean: Terraform deletes its alias before it updates the
 * rule lists that named it (the same destroy-edge order), so the rules naming the departing member
 * are skipped for a moment — its traffic only. (docs/environment-spec.md, "Growing a tier".)
 */
function dhcpMemberPeers(scope: Construct, members: readonly HardenedVm[]): FirewallAlias[] {
  return members.map((m) => new FirewallAlias(scope, `${m.name}-address`, { name: m.name, cidr: m.ipv4Address, comment: `address of ${m.name}` }));
}
