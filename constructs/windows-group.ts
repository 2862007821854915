import { Construct } from "constructs";
import { Connections, IConnectable } from "./connections";
import type { FirewallIpSet } from "./firewall-ipset";
import { allocate, Ipv4Pool, memberSet } from "./group-members";
import { checkDnsLabel, checkIntRange } from "./input-checks";
import { WindowsVm, WindowsVmProps } from "./windows-vm";

/** Props of {@link WindowsGroup}: the per-VM props of {@link WindowsVmProps} minus what the group sets. */
export interface WindowsGroupProps extends Omit<WindowsVmProps, "node" | "name" | "vmId" | "ipv4Address" | "installerIsoFileId"> {
  /** Number of identical Windows VMs (1-500). */
  readonly count: number;
  /** Name prefix; members are `<prefix>-1`, `<prefix>-2`, … (each at most 15 characters, the NetBIOS limit). */
  readonly namePrefix: string;
  /** Nodes to spread members across, round-robin. */
  readonly nodes: readonly string[];
  /** The installer ISO's volume id per node (an ISO on node-local storage is readable on its node only). */
  readonly installerIsoFileIdByNode: Readonly<Record<string, string>>;
  /** VM id of the first member; others follow consecutively. @default allocated by PVE */
  readonly firstVmId?: number;
  /**
   * Static addresses: member i is known to the firewall by the pool's i-th address (Windows gets no
   * cloud-init: set the same address in Windows, or reserve it in DHCP). Without a pool the group
   * cannot be the source of a firewall rule — its addresses are unknown.
   * @default DHCP
   */
  readonly ipv4Pool?: Ipv4Pool;
  /** Base of the members' IP set name (`<base>-<8 hex digits>`, versioned by membership like VmGroup's). @default namePrefix */
  readonly ipSetName?: string;
}

/**
 * N identical Windows VMs ({@link WindowsVm}: UEFI with Secure Boot, TPM 2.0, VirtIO) spread across
 * nodes, each booting the installer ISO; with a static pool they are one firewall peer (an IP set of
 * their addresses, versioned by membership like VmGroup's).
 */
export class WindowsGroup extends Construct implements IConnectable {
  /** The members, in order. */
  readonly members: readonly WindowsVm[];
  /** Firewall intents applied to every member; as a peer the group is its IP set (static pool only). */
  readonly connections: Connections;
  /** IP set of the members' addresses, with an `ipv4Pool`. @default undefined for a DHCP group */
  readonly ipSet?: FirewallIpSet;

  constructor(scope: Construct, id: string, props: WindowsGroupProps) {
    super(scope, id);
    const owner = `WindowsGroup "${id}"`;
    checkIntRange(owner, "count", props.count, 1, 500, "a typo must not create thousands of VMs");
    checkDnsLabel(owner, "namePrefix", props.namePrefix);
    if (props.nodes.length === 0) throw new Error(`${owner}: nodes is empty — list at least one node to place VMs on.`);
    for (const node of props.nodes) {
      if (!props.installerIsoFileIdByNode[node])
        throw new Error(`${owner}: installerIsoFileIdByNode has no ISO for node "${node}" — give one per node in nodes.`);
    }
    const addresses = props.ipv4Pool ? allocate(owner, props.ipv4Pool, props.count) : undefined;
    const { count: _c, namePrefix: _n, nodes: _ns, firstVmId: _f, ipv4Pool: _p, ipSetName: _s, installerIsoFileIdByNode, ...vmProps } = props;
    const members = Array.from({ length: props.count }, (_, i) => {
      const node = props.nodes[i % props.nodes.length];
      return new WindowsVm(this, `${props.namePrefix}-${i + 1}`, {
        ...vmProps,
        node,
        name: `${props.namePrefix}-${i + 1}`,
        installerIsoFileId: installerIsoFileIdByNode[node],
        vmId: props.firstVmId !== undefined ? props.firstVmId + i : undefined,
        ...(addresses ? { ipv4Address: addresses[i].split("/")[0] } : {}),
      });
    });
    this.members = members;
    this.ipSet = addresses
      ? memberSet(
          this,
          props.ipSetName ?? props.namePrefix,
          members.map((m) => ({ cidr: m.ipv4Address, comment: m.name })),
          `members of ${props.namePrefix}`,
        )
      : undefined;
    const ipSet = this.ipSet;
    this.connections = new Connections({
      peer: () => {
        if (!ipSet) throw new Error(`${owner} takes its addresses by DHCP, so firewall rules cannot name it as a source — give it an ipv4Pool.`);
        return ipSet.peer;
      },
      egressRestricted: (props.firewall?.outboundPolicy ?? "ACCEPT") !== "ACCEPT",
      onRule: (rule) => members.forEach((m) => m.connections.add(rule)),
    });
  }
}
