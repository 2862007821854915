import { Construct } from "constructs";
import { Connections, IConnectable } from "./connections";
import { HardenedContainer, HardenedContainerProps, IContainerTemplate } from "./hardened-container";
import { allocate, Ipv4Pool, memberSet, memberSlots } from "./group-members";
import type { FirewallIpSet } from "./firewall-ipset";

/** Props of {@link ContainerGroup}: the per-container props minus what the group sets. */
export interface ContainerGroupProps extends Omit<HardenedContainerProps, "node" | "name" | "vmId" | "ipv4"> {
  /** Number of identical containers (1-500). */
  readonly count: number;
  /** Name prefix; members are `<prefix>-1`, `<prefix>-2`, … */
  readonly namePrefix: string;
  /** Nodes to spread members across, round-robin (the template's storage must reach them). */
  readonly nodes: readonly string[];
  /** Container id of the first member; others follow consecutively. @default allocated by PVE */
  readonly firstVmId?: number;
  /** Static addresses: member i gets the pool's i-th address (containers have no DHCP mode, see HardenedContainerProps.ipv4). */
  readonly ipv4Pool: Ipv4Pool;
  /**
   * The template per node, for a template on node-local storage (each node downloads its own copy).
   * @default `template` on every node
   */
  readonly templatesByNode?: Readonly<Record<string, IContainerTemplate>>;
  /** Base of the members' IP set name (`<base>-<8 hex digits>`, versioned by membership like VmGroup's). @default namePrefix */
  readonly ipSetName?: string;
}

/**
 * N identical hardened containers spread across nodes, with an IP set of their addresses so that the
 * group is one firewall peer — the container counterpart of {@link VmGroup}, with which it shares
 * address allocation and the versioned member set: `db.connections.allowFrom(ctGroup, Port.POSTGRES)`.
 */
export class ContainerGroup extends Construct implements IConnectable {
  /** The members, in order. */
  readonly members: readonly HardenedContainer[];
  /** Firewall intents applied to every member; as a peer the group is its IP set. */
  readonly connections: Connections;
  /** IP set of the members' addresses, `<ipSetName>-<version>`. */
  readonly ipSet: FirewallIpSet;

  constructor(scope: Construct, id: string, props: ContainerGroupProps) {
    super(scope, id);
    const owner = `ContainerGroup "${id}"`;
    const slots = memberSlots(owner, props, "containers");
    const addresses = allocate(owner, props.ipv4Pool, props.count);
    const { count: _c, namePrefix: _n, nodes: _ns, firstVmId: _f, ipv4Pool: _p, ipSetName: _s, templatesByNode, ...ctProps } = props;
    for (const node of props.nodes) {
      if (templatesByNode && !templatesByNode[node])
        throw new Error(`${owner}: templatesByNode has no template for node "${node}" — give one per node in nodes.`);
    }
    const members = slots.map(
      (slot, i) =>
        new HardenedContainer(this, slot.name, {
          ...ctProps,
          ...slot,
          template: templatesByNode?.[slot.node] ?? props.template,
          ipv4: { address: addresses[i], gateway: props.ipv4Pool.gateway },
        }),
    );
    this.members = members;
    const entries = members.map((m) => ({ cidr: m.ipv4Address, comment: m.name }));
    this.ipSet = memberSet(this, props.ipSetName ?? props.namePrefix, entries, `members of ${props.namePrefix}`);
    const ipSet = this.ipSet;
    this.connections = new Connections({
      peer: () => ipSet.peer,
      egressRestricted: (props.firewall?.outboundPolicy ?? "ACCEPT") !== "ACCEPT",
      onRule: (rule) => members.forEach((m) => m.connections.add(rule)),
    });
  }
}
