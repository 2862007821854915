import { Token } from "cdktf";
import { checkCidr, checkIpv4 } from "./input-checks";

/** Anything with a firewall object name (a {@link FirewallAlias} or {@link FirewallIpSet}). */
export interface INamedFirewallObject {
  /** The name as rules must reference it: a token of the resource's name, so rules depend on it. */
  readonly name: string;
  /** The literal name, for comments and sorting. @default name */
  readonly label?: string;
}

/**
 * The other side of a firewall rule, as PVE writes it in `source`/`dest`:
 * `Peer.cidr("10.0.0.0/8")`, `Peer.alias(alias)`, `Peer.ipset(ipset)`, `Peer.anyIpv4()`.
 */
export class Peer {
  /** An IPv4 address or network in CIDR form (or a deploy-time token, e.g. an agent-reported address). */
  static cidr(cidr: string): Peer {
    if (!Token.isUnresolved(cidr)) checkCidr("Peer.cidr", "cidr", cidr);
    return new Peer(cidr, cidr);
  }
  /**
   * One IPv4 address. Written without `/32`: PVE stores host addresses bare, so a `/32` would read
   * back different from the configuration and never stop showing as a change.
   */
  static host(ip: string): Peer {
    if (!Token.isUnresolved(ip)) checkIpv4("Peer.host", "ip", ip);
    return new Peer(ip, ip);
  }
  /** Every IPv4 address. Opening administration ports to it is reported by the policy pack. */
  static anyIpv4(): Peer {
    return new Peer("0.0.0.0/0", "0.0.0.0/0");
  }
  /** A cluster firewall alias, by object or name. */
  static alias(alias: INamedFirewallObject | string): Peer {
    const name = typeof alias === "string" ? alias : alias.name;
    if (!Token.isUnresolved(name)) checkFirewallName("Peer.alias", name);
    return new Peer(name, `alias:${typeof alias === "string" ? alias : (alias.label ?? name)}`);
  }
  /** A cluster firewall IP set, by object or name (PVE writes it `+name`). */
  static ipset(ipset: INamedFirewallObject | string): Peer {
    const name = typeof ipset === "string" ? ipset : ipset.name;
    if (!Token.isUnresolved(name)) checkFirewallName("Peer.ipset", name);
    return new Peer(`+${name}`, `ipset:${typeof ipset === "string" ? ipset : (ipset.label ?? name)}`);
  }

  private constructor(
    /** The value for a rule's `source` or `dest` field. */
    readonly address: string,
    /** Human text, e.g. `10.0.0.0/8`, `alias:admins`, `ipset:web`. */
    readonly label: string,
  ) {}

  /** True for 0.0.0.0/0. */
  get isAnyIpv4(): boolean {
    return this.address === "0.0.0.0/0";
  }

  toString(): string {
    return this.label;
  }
}

/**
 * PVE firewall object names (aliases, ipsets, groups): a lowercase letter, then lowercase letters,
 * digits, `-` and `_`. PVE lower-cases ipset and group names, so an uppercase name would read back
 * different and be re-created on every run.
 */
export function checkFirewallName(owner: string, name: string, maxLength = 64): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(name) || name.length > maxLength) {
    throw new Error(
      `${owner}: name "${name}" is not a valid PVE firewall name — start with a lowercase letter, then lowercase letters, digits, - or _ (at most ${maxLength}).`,
    );
  }
}

/** Security group names are at most 18 characters in PVE. */
export function checkSecurityGroupName(owner: string, name: string): void {
  checkFirewallName(owner, name, 18);
}
