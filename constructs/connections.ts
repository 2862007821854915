import type { FirewallRule } from "./firewall-rule";
import { Peer } from "./peer";
import { Port } from "./port";

/** Something that firewall rules can be opened to and from: a VM, a group of VMs. */
export interface IConnectable {
  readonly connections: Connections;
}

/** Options of {@link Connections}. */
export interface ConnectionsProps {
  /**
   * Describes the owner how others address it in their rules (called when first needed): one peer,
   * or one per member when the owner is addressed member by member (a VmGroup whose members use
   * DHCP); a rule to or from such an owner becomes one rule per peer.
   */
  readonly peer: () => Peer | readonly Peer[];
  /**
   * True when the owner's outbound policy is DROP, so that `allowTo`/`allowFrom` must also open
   * the egress side on it.
   * @default false
   */
  readonly egressRestricted?: boolean;
  /** Called for each rule added, so the owner can materialise its rule resource lazily. */
  readonly onRule?: (rule: FirewallRule) => void;
}

/**
 * The firewall intents of one owner, in the spirit of aws-ec2's `Connections`:
 * `db.connections.allowFrom(app, Port.POSTGRES)` opens ingress on `db` and, when `app` restricts
 * egress, the matching egress on `app`.
 */
export class Connections implements IConnectable {
  private readonly rules: FirewallRule[] = [];

  constructor(private readonly props: ConnectionsProps) {}

  /** This object (so a Connections is itself connectable). */
  get connections(): Connections {
    return this;
  }

  /** How other rules address the owner: one peer, or one per member (a rule is written per peer). */
  get peers(): readonly Peer[] {
    const p = this.props.peer();
    return p instanceof Peer ? [p] : p;
  }

  /** How other rules address the owner, when that is one peer; throws for an owner addressed member by member (use {@link peers}). */
  get peer(): Peer {
    const p = this.peers;
    if (p.length !== 1) throw new Error(`this owner is addressed as ${p.length} peers (${p.join(", ")}), not one: use connections.peers.`);
    return p[0];
  }

  /** True when the owner's outbound policy is DROP. */
  get egressRestricted(): boolean {
    return this.props.egressRestricted ?? false;
  }

  /**
   * Every rule added so far, in insertion order. Rendering (`orderRules` in firewall-rule.ts) keeps that order
   * between rules that could match the same packet with different actions (PVE applies the first
   * match) and sorts the rest.
   */
  get allRules(): readonly FirewallRule[] {
    return this.rules;
  }

  /** Opens `port` on the owner to traffic from `other`; also opens the egress side on `other` when it restricts egress. */
  allowFrom(other: IConnectable | Peer, port: Port, description?: string): void {
    const otherPeers = other instanceof Peer ? [other] : other.connections.peers;
    for (const peer of otherPeers) this.add({ direction: "in", action: "ACCEPT", port, peer, comment: description });
    if (!(other instanceof Peer) && other.connections.egressRestricted) {
      for (const peer of this.peers) other.connections.add({ direction: "out", action: "ACCEPT", port, peer, comment: description });
    }
  }

  /** Opens traffic from the owner to `port` on `other` (the mirror image of `other.allowFrom(owner)`). */
  allowTo(other: IConnectable | Peer, port: Port, description?: string): void {
    if (other instanceof Peer) {
      if (this.egressRestricted) this.add({ direction: "out", action: "ACCEPT", port, peer: other, comment: description });
      return;
    }
    other.connections.allowFrom(this, port, description);
  }

  /** Opens `port` on the owner to the whole IPv4 internet (reported by the policy pack for admin ports). */
  allowFromAnyIpv4(port: Port, description?: string): void {
    this.allowFrom(Peer.anyIpv4(), port, description);
  }

  /**
   * Adds a raw rule, e.g. a DROP. PVE applies the first matching rule: a DROP added before an
   * overlapping ACCEPT applies, one added after it never does (and is reported as a warning).
   * Prefer the intent methods above for ACCEPT rules.
   */
  add(rule: FirewallRule): void {
    this.rules.push(rule);
    this.props.onRule?.(rule);
  }
}
