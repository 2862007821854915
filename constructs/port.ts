import { PORT_PRESETS, PortPreset, PortPresetName, PortProtocol } from "../envspec/port";
import { checkIntRange } from "./input-checks";

export type { PortProtocol };

/**
 * A protocol and port range a firewall rule opens, in the spirit of aws-ec2's `Port`:
 * `Port.tcp(22)`, `Port.tcpRange(8000, 8080)`, `Port.udp(53)`, `Port.icmp()`, or a named preset
 * (`Port.SSH`, `Port.HTTPS`, `Port.POSTGRES`, …). The named presets come from the environment spec's
 * preset table (envspec/port.ts `PORT_PRESETS`), so a preset means the same ports in a spec and in code.
 */
export class Port {
  /** SSH, tcp/22. */
  static readonly SSH = Port.fromPreset("ssh");
  /** Remote Desktop, tcp/3389. */
  static readonly RDP = Port.fromPreset("rdp");
  /** Windows Remote Management over HTTP and HTTPS, tcp/5985-5986. */
  static readonly WINRM = Port.fromPreset("winrm");
  /** WinRM over HTTPS only, tcp/5986 (not a spec preset: the spec's `winrm` is both ports). */
  static readonly WINRM_HTTPS = Port.tcp(5986);
  /** Kubernetes API server, tcp/6443. */
  static readonly K8S_API = Port.fromPreset("k8s-api");
  /** Kubernetes kubelet API, tcp/10250. */
  static readonly KUBELET = Port.fromPreset("kubelet");
  /** HTTP, tcp/80. */
  static readonly HTTP = Port.fromPreset("http");
  /** HTTPS, tcp/443. */
  static readonly HTTPS = Port.fromPreset("https");
  /** HTTP on 8080. */
  static readonly HTTP_ALT = Port.fromPreset("http-alt");
  /** HTTPS on 8443. */
  static readonly HTTPS_ALT = Port.fromPreset("https-alt");
  /** PostgreSQL, tcp/5432. */
  static readonly POSTGRES = Port.fromPreset("postgres");
  /** MySQL / MariaDB, tcp/3306. */
  static readonly MYSQL = Port.fromPreset("mysql");
  /** Microsoft SQL Server, tcp/1433. */
  static readonly MSSQL = Port.fromPreset("mssql");
  /** MongoDB, tcp/27017. */
  static readonly MONGODB = Port.fromPreset("mongodb");
  /** Redis, tcp/6379. */
  static readonly REDIS = Port.fromPreset("redis");
  /** Memcached, tcp/11211. */
  static readonly MEMCACHED = Port.fromPreset("memcached");
  /** Elasticsearch / OpenSearch HTTP, tcp/9200. */
  static readonly ELASTICSEARCH = Port.fromPreset("elasticsearch");
  /** etcd client and peer, tcp/2379-2380. */
  static readonly ETCD = Port.fromPreset("etcd");
  /** DNS over UDP, udp/53. The `dns` preset is this and {@link DNS_TCP}: `Port.preset("dns")` gives both. */
  static readonly DNS_UDP = Port.fromPreset("dns", "udp");
  /** DNS over TCP (zone transfers, large answers, DNSSEC), tcp/53. */
  static readonly DNS_TCP = Port.fromPreset("dns", "tcp");
  /** NTP, udp/123. */
  static readonly NTP = Port.fromPreset("ntp");
  /** syslog, udp/514. */
  static readonly SYSLOG = Port.fromPreset("syslog");
  /** SMTP, tcp/25. */
  static readonly SMTP = Port.fromPreset("smtp");
  /** SMTP submission, tcp/587. */
  static readonly SUBMISSION = Port.fromPreset("submission");
  /** SMTP over TLS, tcp/465. */
  static readonly SMTPS = Port.fromPreset("smtps");
  /** IMAP over TLS, tcp/993. */
  static readonly IMAPS = Port.fromPreset("imaps");
  /** LDAP, tcp/389. */
  static readonly LDAP = Port.fromPreset("ldap");
  /** LDAP over TLS, tcp/636. */
  static readonly LDAPS = Port.fromPreset("ldaps");
  /** Prometheus server, tcp/9090. */
  static readonly PROMETHEUS = Port.fromPreset("prometheus");
  /** Prometheus node exporter, tcp/9100. */
  static readonly NODE_EXPORTER = Port.fromPreset("node-exporter");
  /** AMQP (RabbitMQ), tcp/5672. */
  static readonly AMQP = Port.fromPreset("amqp");
  /** Kafka, tcp/9092. */
  static readonly KAFKA = Port.fromPreset("kafka");
  /** NFS v4, tcp/2049. */
  static readonly NFS = Port.fromPreset("nfs");
  /** Ping: ICMP echo-request only (PVE's `Ping` macro). */
  static readonly PING = Port.icmp("echo-request").named("ping");

  /**
   * The Ports of a preset of the environment spec's table (envspec/port.ts `PORT_PRESETS`), one per
   * protocol range: `Port.preset("dns")` is udp/53 and tcp/53.
   */
  static preset(name: PortPresetName): readonly Port[] {
    const preset = PORT_PRESETS[name] as PortPreset | undefined;
    if (!preset) throw new Error(`Port.preset(${JSON.stringify(name)}): not a preset — one of ${Object.keys(PORT_PRESETS).join(", ")}.`);
    return preset.ranges.map((r) => new Port(r.protocol, r.from, r.to, undefined, name));
  }

  /** The one Port of a preset (of `protocol`, for a preset that spans two). */
  private static fromPreset(name: PortPresetName, protocol?: PortProtocol): Port {
    const ports = Port.preset(name).filter((p) => protocol === undefined || p.protocol === protocol);
    if (ports.length !== 1) throw new Error(`Port preset ${name}${protocol ? `/${protocol}` : ""} has ${ports.length} ranges, expected one.`);
    return ports[0];
  }

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
  (
    "any echo-reply destination-unreachable network-unreachable host-unreachable protocol-unreachable port-unreachable " +
    "fragmentation-needed source-route-failed network-unknown host-unknown network-prohibited host-prohibited " +
    "TOS-network-unreachable TOS-host-unreachable communication-prohibited host-precedence-violation precedence-cutoff " +
    "source-quench redirect network-redirect host-redirect TOS-network-redirect TOS-host-redirect echo-request " +
    "router-advertisement router-solicitation time-exceeded ttl-zero-during-transit ttl-zero-during-reassembly " +
    "parameter-problem ip-header-bad required-option-missing timestamp-request timestamp-reply address-mask-request " +
    "address-mask-reply"
  ).split(" "),
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
