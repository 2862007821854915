import type { InboundAllowance } from "../../inventory/ansible-inventory";
import { PveConnection, pveRequest } from "../../pve/pve-client";
import { scalarText } from "../../terraform/scalar-text";

// Three descriptions of one host's inbound firewall — the Proxmox VM firewall as the API returns
// it, the inventory's nftables_allowed_inbound, and the nftables ruleset the role renders — reduced
// to the same comparable form: one string per (address family, protocol, port or range, sources).
// "any" is a whole address family (no source match, or 0.0.0.0/0 in IPv4, ::/0 in IPv6).

type Family = 4 | 6;

function accepted(family: Family, proto: string, port: string, sources: readonly string[] | "any"): string {
  const whole = family === 4 ? "0.0.0.0/0" : "::/0";
  const from = sources === "any" || sources.includes(whole) ? "any" : [...new Set(sources)].sort().join(",");
  return `ipv${family} ${proto} ${port || "-"} from ${from}`;
}

const familyOf = (address: string): Family => (address.includes(":") ? 6 : 4);

/** Splits sources by address family; no sources at all means any source of both families. */
function byFamily(sources: readonly string[] | "any"): [Family, readonly string[] | "any"][] {
  if (sources === "any")
    return [
      [4, "any"],
      [6, "any"],
    ];
  return ([4, 6] as Family[]).map((f): [Family, string[]] => [f, sources.filter((s) => familyOf(s) === f)]).filter(([, s]) => s.length > 0);
}

/** A PVE firewall rule as `GET /nodes/{node}/qemu/{vmid}/firewall/rules` lists it. */
interface PveRule {
  readonly type: string;
  readonly action: string;
  readonly enable?: number;
  readonly proto?: string;
  readonly dport?: string;
  readonly source?: string;
  readonly ipversion?: number;
  readonly [field: string]: unknown;
}

/** Fields that only describe a rule; anything else narrows it in a way this comparison does not model. */
const DESCRIPTIVE = new Set(["type", "action", "enable", "proto", "dport", "icmp-type", "source", "ipversion", "comment", "digest", "pos"]);

/** PVE's Ping macro: ICMP echo-request (pve-firewall's macro table); the only macro read here. */
function withoutPingMacro(rule: PveRule): PveRule {
  if (rule.macro !== "Ping") return rule;
  const rest: Record<string, unknown> = { ...rule };
  delete rest.macro;
  return { ...(rest as PveRule), proto: "icmp", "icmp-type": "echo-request" };
}

/**
 * What the VM firewall of one guest accepts inbound, read from the API: every enabled `in ACCEPT`
 * rule, `+ipset` and alias sources resolved to their addresses. Throws on a rule it cannot reduce
 * (a macro, a security group, a destination…), so a new rule shape is noticed, not skipped.
 */
export async function proxmoxAccepts(conn: PveConnection, vm: { node: string; id: number; name: string }): Promise<Set<string>> {
  const rules = await pveRequest<PveRule[]>(conn, "GET", `/nodes/${vm.node}/qemu/${vm.id}/firewall/rules`);
  // A DHCP tier is named by one rule per member (its alias), all with the intent's comment: the
  // sources of such rules are merged, as the inventory lists the tier's addresses in one allowance.
  const merged = new Map<string, { family: Family; proto: string; port: string; sources: string[] | "any" }>();
  for (const rule of rules.map(withoutPingMacro)) {
    if (rule.enable === 0) continue;
    const extra = Object.keys(rule).filter((k) => !DESCRIPTIVE.has(k));
    if (rule.type !== "in" || rule.action !== "ACCEPT" || extra.length > 0 || !rule.proto) {
      throw new Error(`${vm.name}: rule ${JSON.stringify(rule)} is not an inbound ACCEPT of one protocol and port; extend the comparison`);
    }
    const sources = rule.source ? await resolveSource(conn, rule.source) : "any";
    // An icmp rule without a type admits every ICMP type; the role only ever admits echo-request.
    const port = rule.proto === "icmp" ? scalarText(rule["icmp-type"] ?? "every-type") : (rule.dport ?? "").replace(":", "-");
    for (const [family, s] of byFamily(sources)) {
      if (rule.ipversion !== undefined && rule.ipversion !== family) continue;
      const key = JSON.stringify([rule.comment ?? "", family, rule.proto, port]);
      const seen = merged.get(key);
      if (!seen) merged.set(key, { family, proto: rule.proto, port, sources: s === "any" ? "any" : [...s] });
      else if (seen.sources !== "any") seen.sources = s === "any" ? "any" : [...seen.sources, ...s];
    }
  }
  return new Set([...merged.values()].map((m) => accepted(m.family, m.proto, m.port, m.sources)));
}

async function resolveSource(conn: PveConnection, source: string): Promise<string[]> {
  const out: string[] = [];
  for (const part of source.split(",")) {
    // A name is a cluster alias (a DHCP VmGroup member's address).
    if (/^[a-z][a-z0-9_-]*$/i.test(part)) {
      out.push((await pveRequest<{ cidr: string }>(conn, "GET", `/cluster/firewall/aliases/${encodeURIComponent(part)}`)).cidr);
      continue;
    }
    if (!part.startsWith("+")) {
      out.push(part);
      continue;
    }
    const entries = await pveRequest<{ cidr: string; nomatch?: number }[]>(conn, "GET", `/cluster/firewall/ipset/${encodeURIComponent(part.slice(1))}`);
    if (entries.some((e) => e.nomatch)) throw new Error(`IP set ${part} has nomatch entries; extend the comparison`);
    if (entries.length === 0) throw new Error(`IP set ${part} is empty: the rule admits nobody`);
    // An entry that is a name is a cluster alias (VmGroup lists DHCP members through one each).
    for (const e of entries) {
      if (/^[a-z][a-z0-9_-]*$/i.test(e.cidr))
        out.push((await pveRequest<{ cidr: string }>(conn, "GET", `/cluster/firewall/aliases/${encodeURIComponent(e.cidr)}`)).cidr);
      else out.push(e.cidr);
    }
  }
  return out;
}

/** What a host's `nftables_allowed_inbound` admits, read the way the nftables role documents it. */
export function inventoryAccepts(allowances: readonly InboundAllowance[]): Set<string> {
  const out = new Set<string>();
  for (const a of allowances) {
    const sources = a.from === undefined ? "any" : a.from;
    const port = a.proto === "icmp" ? "echo-request" : String(a.port);
    for (const [family, s] of byFamily(sources)) out.add(accepted(family, a.proto, port, s));
  }
  return out;
}

const RULE = /^(?:(ip|ip6) saddr \{ ([^}]+) \} )?(?:(tcp|udp) dport (\S+)|(icmp|icmpv6) type echo-request limit rate \S+) accept(?: comment "[^"]*")?$/;

/**
 * What a rendered `nftables.conf` accepts through its `nftables_allowed_inbound` block (the lines
 * between that comment and the end of the input chain). Throws on a line it cannot read.
 */
export function nftablesAccepts(ruleset: string): Set<string> {
  const lines = ruleset.split("\n").map((l) => l.trim());
  const start = lines.indexOf("# nftables_allowed_inbound");
  if (start < 0) throw new Error("the ruleset has no nftables_allowed_inbound block");
  const out = new Set<string>();
  for (const line of lines.slice(start + 1)) {
    if (line === "}" || line.startsWith("limit rate")) break;
    if (line === "") continue;
    const m = RULE.exec(line);
    if (!m) throw new Error(`cannot read the nftables rule ${JSON.stringify(line)}`);
    const [, saddrFamily, saddrs, l4, port, icmp] = m;
    const sources = saddrs ? saddrs.split(",").map((s) => s.trim()) : "any";
    const proto = l4 ?? "icmp";
    const families: Family[] = saddrFamily ? [saddrFamily === "ip" ? 4 : 6] : icmp ? [icmp === "icmp" ? 4 : 6] : [4, 6];
    for (const family of families) out.add(accepted(family, proto, icmp ? "echo-request" : port, sources));
  }
  return out;
}
