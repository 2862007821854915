import { checkIntRange } from "./input-checks";

/** Transport protocol of a {@link Port}. */
export type PortProtocol = "tcp" | "udp" | "icmp";

/**
 * A protocol and port range a firewall rule opens, in the spirit of aws-ec2's `Port`:
 * `Port.tcp(22)`, `Port.tcpRange(8000, 8080)`, `Port.udp(53)`, `Port.icmp()`, or a named preset
 * (`Port.SSH`, `Port.HTTPS`, `Port.POSTGRES`, …). Environment specs name ports through spec/port.ts's
 * preset table; stacks/environment-stack.ts turns those into Ports.
 */
export class Port {
  /** SSH, tcp/22. */
  static readonly SSH = Port.tcp(22).named("ssh");
  /** HTTP, tcp/80. */
  static readonly HTTP = Port.tcp(80).named("http");
  /** HTTPS, tcp/443. */
  static readonly HTTPS = Port.tcp(443).named("https");
  /** Remote Desktop, tcp/3389. */
  static readonly RDP = Port.tcp(3389).named("rdp");
  /** PostgreSQL, tcp/5432. */
  static readonly POSTGRES = Port.tcp(5432).named("postgres");
  /** MySQL / MariaDB, tcp/3306. */
  static readonly MYSQL = Port.tcp(3306).named("mysql");
  /** Redis, tcp/6379. */
  static readonly REDIS = Port.tcp(6379).named("redis");
  /** DNS over UDP, udp/53. */
  static readonly DNS = Port.udp(53).named("dns");
  /** NTP, udp/123. */
  static readonly NTP = Port.udp(123).named("ntp");
  /** Kubernetes API server, tcp/6443. */
  static readonly K8S_API = Port.tcp(6443).named("k8s-api");
  /** WinRM over HTTPS, tcp/5986. */
  static readonly WINRM_HTTPS = Port.tcp(5986).named("winrm-https");
  /** Prometheus node exporter, tcp/9100. */
  static readonly NODE_EXPORTER = Port.tcp(9100).named("node-exporter");
  /** Ping: ICMP echo-request only (PVE's `Ping` macro). */
  static readonly PING = Port.icmp("echo-request").named("ping");

  /** One TCP port. */
  static tcp(port: number): Port {
    return new Port("tcp", port, port);
  }
  /** A TCP port range, inclusive. */
  static tcpRange(from: number, to: number): Port {
    return new Port("tcp", from, to);
  }
  /** One UDP port. */
  static udp(port: number): Port {
    return new Port("udp", port, port);
  }
  /** A UDP port range, inclusive. */
  static udpRange(from: number, to: number): Port {
    return new Port("udp", from, to);
  }
  /**
   * ICMP over IPv4. `Port.icmp()` is every ICMP type (what PVE's `proto: icmp` matches);
   * `Port.icmp("echo-request")` is ping only, rendered as PVE's `Ping` macro. No other type can be
   * written exactly through the bpg/proxmox provider (its rule has no `icmp-type` field, and PVE's
   * `dport` spelling of a type is ignored by PVE's nftables backend), so any other type is refused
   * rather than widened to every ICMP type.
   */
  static icmp(type?: string): Port {
    if (type !== undefined && type !== "echo-request") throw new Error(icmpTypeRefusal(type));
    return new Port("icmp", undefined, undefined, type);
  }

  private constructor(
    readonly protocol: PortProtocol,
    readonly fromPort?: number,
    readonly toPort?: number,
    readonly icmpType?: string,
    /** Preset name, e.g. `ssh`, when the port came from the preset table. */
    readonly presetName?: string,
  ) {
    if (protocol !== "icmp") {
      const what = `Port.${protocol}`;
      checkIntRange(what, "port", fromPort ?? NaN, 1, 65535);
      checkIntRange(what, "port", toPort ?? NaN, 1, 65535);
      if ((toPort as number) < (fromPort as number)) {
        throw new Error(`${what}Range: range ${fromPort}-${toPort} is reversed — write the lower port first.`);
      }
    }
  }

  /** Same port with a preset name attached (used by the preset table). */
  named(presetName: string): Port {
    return new Port(this.protocol, this.fromPort, this.toPort, this.icmpType, presetName);
  }

  /** PVE's `dport` value: `22`, `8000:8080`, or undefined for ICMP. */
  get dport(): string | undefined {
    if (this.protocol === "icmp") return undefined;
    return this.fromPort === this.toPort ? `${this.fromPort}` : `${this.fromPort}:${this.toPort}`;
  }

  /** Human text, e.g. `tcp/22`, `tcp/8000-8080`, `icmp`. */
  toString(): string {
    if (this.protocol === "icmp") return this.icmpType ? `icmp/${this.icmpType}` : "icmp";
    return this.fromPort === this.toPort ? `${this.protocol}/${this.fromPort}` : `${this.protocol}/${this.fromPort}-${this.toPort}`;
  }

  /** Sort key that orders rules by protocol, then numerically by port. */
  get sortKey(): string {
    const n = (v?: number) => String(v ?? 0).padStart(5, "0");
    return `${this.protocol}:${n(this.fromPort)}:${n(this.toPort)}:${this.icmpType ?? ""}`;
  }
}

/** ICMP type names PVE accepts for IPv4 (pve-firewall's `$icmp_type_names`, iptables' names). */
const PVE_ICMP_TYPES = new Set(
  ("any echo-reply destination-unreachable network-unreachable host-unreachable protocol-unreachable port-unreachable " +
    "fragmentation-needed source-route-failed network-unknown host-unknown network-prohibited host-prohibited " +
    "TOS-network-unreachable TOS-host-unreachable communication-prohibited host-precedence-violation precedence-cutoff " +
    "source-quench redirect network-redirect host-redirect TOS-network-redirect TOS-host-redirect echo-request " +
    "router-advertisement router-solicitation time-exceeded ttl-zero-during-transit ttl-zero-during-reassembly " +
    "parameter-problem ip-header-bad required-option-missing timestamp-request timestamp-reply address-mask-request " +
    "address-mask-reply").split(" "),
);

function icmpTypeRefusal(type: string): string {
  const use = 'use Port.icmp("echo-request") for ping (PVE\'s Ping macro) or Port.icmp() to open every ICMP type on purpose';
  if (type === "any") return `Port.icmp("any"): write Port.icmp() to open every ICMP type.`;
  if (!PVE_ICMP_TYPES.has(type)) return `Port.icmp(${JSON.stringify(type)}): not an ICMP type PVE knows — ${use}.`;
  return (
    `Port.icmp(${JSON.stringify(type)}): ICMP type "${type}" cannot be rendered exactly — the bpg/proxmox provider's rule has no ` +
    `icmp-type field and PVE has a macro only for echo-request, so the rule would open every ICMP type. Not widened: ${use}.`
  );
}
