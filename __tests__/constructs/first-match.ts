// What PVE does with one new packet, given a guest's rendered rule list: the first enabled rule of
// the packet's direction that matches decides; a security group rule is replaced by the group's
// rules at that position (a match inside the group decides, no match goes on with the guest's next
// rule); nothing matching means the chain policy. Facts and citations: docs/simulator.md,
// "PVE firewall rule semantics". Connection tracking, MAC/IP filters and DHCP rules that PVE puts
// before the guest's rules are not modelled: this judges a new connection only.

/** A rule as rendered for the provider (camelCase) or synthesised (snake_case). */
export interface RenderedRule {
  readonly type?: string;
  readonly action?: string;
  readonly proto?: string;
  readonly dport?: string;
  readonly macro?: string;
  readonly source?: string;
  readonly dest?: string;
  readonly securityGroup?: string;
  readonly security_group?: string;
  readonly enabled?: unknown;
}

/** One new IPv4 packet, seen from the guest: `address` is the remote side (source in, destination out). */
export interface Packet {
  readonly direction: "in" | "out";
  readonly proto: "tcp" | "udp" | "icmp";
  /** Destination port (tcp/udp). */
  readonly port?: number;
  /** ICMP type name (icmp). */
  readonly icmpType?: string;
  readonly address: string;
}

/** The verdict and what gave it (`rule <n>`, `group <name> rule <n>` or `policy`). */
export interface Verdict {
  readonly action: string;
  readonly by: string;
}

/** The policy and the security groups' rules by the name the guest's rule list uses. */
export interface EvaluationContext {
  readonly policy: string;
  readonly groups?: Readonly<Record<string, readonly RenderedRule[]>>;
}

function ipv4(text: string): number {
  const parts = text.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${text}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function addressMatches(list: string, address: string): boolean {
  return list.split(",").some((entry) => {
    if (entry.startsWith("+") || entry.includes("${") || !/^[0-9./]+$/.test(entry)) {
      throw new Error(`the evaluator cannot resolve ${JSON.stringify(entry)}: use literal addresses in the test`);
    }
    const [ip, prefix] = entry.split("/");
    const size = 2 ** (32 - (prefix === undefined ? 32 : Number(prefix)));
    const first = ipv4(ip) - (ipv4(ip) % size);
    const a = ipv4(address);
    return a >= first && a < first + size;
  });
}

function portMatches(dport: string, port: number): boolean {
  return dport.split(",").some((item) => {
    const [from, to] = item.split(":").map(Number);
    return port >= from && port <= (to ?? from);
  });
}

/** PVE's macros as far as this evaluator knows them (src/PVE/Firewall.pm `$pve_fw_macros`). */
const MACROS: Record<string, { proto: string; dport: string }> = { Ping: { proto: "icmp", dport: "echo-request" } };

function matches(rule: RenderedRule, p: Packet): boolean {
  if (rule.type !== p.direction) return false;
  let proto = rule.proto;
  let dport = rule.dport;
  if (rule.macro !== undefined) {
    const m = MACROS[rule.macro];
    if (!m) throw new Error(`the evaluator does not know macro ${rule.macro}`);
    ({ proto, dport } = m);
  }
  if (proto !== undefined) {
    if (proto !== p.proto) return false;
    if (dport !== undefined) {
      // pve-firewall keeps ICMP types in dport (`-m icmp --icmp-type <dport>`).
      if (proto === "icmp" ? dport !== p.icmpType : !portMatches(dport, p.port as number)) return false;
    }
  }
  const address = p.direction === "in" ? rule.source : rule.dest;
  return address === undefined || addressMatches(address, p.address);
}

/** The action PVE takes for `packet` under `rules` (first match), or the policy. */
export function firstMatch(rules: readonly RenderedRule[], packet: Packet, ctx: EvaluationContext): Verdict {
  for (const [i, rule] of rules.entries()) {
    if (rule.enabled === false) continue;
    const group = rule.securityGroup ?? rule.security_group;
    if (group !== undefined) {
      const groupRules = ctx.groups?.[group];
      if (!groupRules) throw new Error(`security group ${group} is not in the evaluation context`);
      const hit = groupRules.findIndex((r) => r.enabled !== false && matches(r, packet));
      if (hit >= 0) return { action: groupRules[hit].action as string, by: `group ${group} rule ${hit}` };
      continue;
    }
    if (matches(rule, packet)) return { action: rule.action as string, by: `rule ${i}` };
  }
  return { action: ctx.policy, by: "policy" };
}
