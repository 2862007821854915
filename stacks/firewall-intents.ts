import { Port } from "../constructs/port";
import type { PortRange, ResolvedEnvironment } from "../envspec";

/**
 * What an intent admits: a tcp/udp port range, or ping. The spec's `icmp` is ping — ICMP
 * echo-request and no other type — on the Proxmox firewall (PVE's Ping macro) and on the guests'
 * nftables alike.
 */
export type IntentService =
  { readonly protocol: "tcp" | "udp"; readonly from: number; readonly to: number } | { readonly protocol: "icmp"; readonly icmpType: "echo-request" };

/** Where admitted traffic comes from: the VMs of a tier, or an outside IPv4 network. */
export type IntentSource = { readonly kind: "tier"; readonly tier: string } | { readonly kind: "cidr"; readonly cidr: string };

/**
 * One inbound allowance to every VM of a tier, in neither PVE's nor nftables' terms. The
 * environment stack turns these into Proxmox VM firewall rules and the Ansible inventory into
 * the nftables role's `nftables_allowed_inbound`: one list, two renderings.
 */
export interface FirewallIntent {
  /** Tier whose VMs receive the traffic. */
  readonly tier: string;
  readonly source: IntentSource;
  readonly service: IntentService;
  /** Comment carried into both firewalls. */
  readonly comment: string;
}

function serviceOf(range: PortRange): IntentService {
  if (range.protocol === "icmp") return { protocol: "icmp", icmpType: "echo-request" };
  const from = range.from as number;
  return { protocol: range.protocol, from, to: range.to ?? from };
}

/**
 * The firewall intents of an environment, in spec order: `firewall.allow` (source: a tier), then
 * `firewall.expose` (source: a CIDR), one entry per port range (`dns` is udp/53 and tcp/53).
 */
export function firewallIntents(env: ResolvedEnvironment): FirewallIntent[] {
  const out: FirewallIntent[] = [];
  for (const a of env.firewall.allow) {
    const comment = a.comment ?? `${a.from} to ${a.to} ${a.port}`;
    for (const r of a.ranges) out.push({ tier: a.to, source: { kind: "tier", tier: a.from }, service: serviceOf(r), comment });
  }
  for (const e of env.firewall.expose) {
    const comment = e.comment ?? `${e.port} from ${e.from}`;
    for (const r of e.ranges) out.push({ tier: e.tier, source: { kind: "cidr", cidr: e.from }, service: serviceOf(r), comment });
  }
  return out;
}

/** The constructs' Port of an intent's service (ping is `Port.PING`, PVE's Ping macro). */
export function intentPort(service: IntentService): Port {
  if (service.protocol === "icmp") return Port.PING;
  return service.protocol === "tcp" ? Port.tcpRange(service.from, service.to) : Port.udpRange(service.from, service.to);
}
