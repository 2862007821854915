import { Annotations, Token } from "cdktf";
import type { Construct } from "constructs";
import type { VirtualEnvironmentFirewallRulesRule } from "../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { parseIpv4 } from "./input-checks";
import { compareNatural } from "./natural-order";
import { Peer } from "./peer";
import { Port } from "./port";

/** Direction of a rule: `in` (ingress to the guest) or `out` (egress from it). */
export type RuleDirection = "in" | "out";

/** What a rule does with matching packets. */
export type RuleAction = "ACCEPT" | "DROP" | "REJECT";

/** One firewall rule in intent form (before rendering to the provider's fields). */
export interface FirewallRule {
  readonly direction: RuleDirection;
  readonly action: RuleAction;
  readonly port: Port;
  /** The remote side: the source of an ingress rule, the destination of an egress rule. */
  readonly peer: Peer;
  /** Comment stored with the rule in PVE. @default "<direction> <port> <peer>" */
  readonly comment?: string;
}

/** What makes two rules the same rule: what they match and what they do (not the comment). */
function key(r: FirewallRule): string {
  return [r.direction, r.port.sortKey, r.peer.label, r.action].join("|");
}

/** The IPv4 addresses a literal peer stands for, or undefined when only PVE knows (alias, IP set, token). */
function peerRange(peer: Peer): { readonly first: number; readonly last: number } | undefined {
  if (Token.isUnresolved(peer.address)) return undefined;
  const [ip, prefixText] = peer.address.split("/");
  const addr = parseIpv4(ip);
  if (addr === undefined) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  const size = 2 ** (32 - prefix);
  const first = addr - (addr % size);
  return { first, last: first + size - 1 };
}

function portsOverlap(a: Port, b: Port): boolean {
  if (a.protocol !== b.protocol) return false;
  if (a.protocol === "icmp") return a.icmpType === undefined || b.icmpType === undefined || a.icmpType === b.icmpType;
  return (a.fromPort as number) <= (b.toPort as number) && (b.fromPort as number) <= (a.toPort as number);
}

function peersOverlap(a: Peer, b: Peer): boolean {
  const ra = peerRange(a);
  const rb = peerRange(b);
  // Aliases, IP sets and deploy-time addresses are resolved by PVE: assume they may overlap.
  if (!ra || !rb) return true;
  return ra.first <= rb.last && rb.first <= ra.last;
}

/**
 * Whether some packet could match both rules (same direction, protocol and port, and peers that
 * share an address). Peers whose addresses are known only to PVE (aliases, IP sets, deploy-time
 * addresses) count as overlapping: when we cannot prove two rules disjoint we keep their order.
 */
export function rulesOverlap(a: FirewallRule, b: FirewallRule): boolean {
  return a.direction === b.direction && portsOverlap(a.port, b.port) && peersOverlap(a.peer, b.peer);
}

/**
 * Orders rules for rendering, keeping PVE's first-match meaning of the order they were added in:
 *
 * - two rules that could match the same packet and do different things (ACCEPT vs DROP vs REJECT)
 *   keep the order they were added in, so the one added first is the one PVE applies;
 * - every other pair is free, and takes the canonical order (direction, protocol, port, peer,
 *   action; numbers in names and addresses by value, {@link compareNatural}), so the same intents
 *   give the same list however they arrive (allowFrom on later VMs, egress mirror rules), lists of
 *   ACCEPT rules only are simply sorted, and a new tier member's rule comes after its elders';
 * - an exact duplicate (same match and action) is dropped: under first match the later copy never
 *   applies.
 *
 * For every packet, the first matching rule of the result has the action of the first matching
 * rule of the input. (Were a differently-acting rule k first in the result while i was first in
 * the input, k and i would overlap with different actions, so k would be kept after i.)
 */
export function orderRules(rules: readonly FirewallRule[]): FirewallRule[] {
  const seen = new Set<string>();
  const unique: FirewallRule[] = [];
  for (const r of rules) {
    if (seen.has(key(r))) continue;
    seen.add(key(r));
    unique.push(r);
  }
  const keys = unique.map(key);
  const byKey = (a: number, b: number) => compareNatural(keys[a], keys[b]);
  const sorted = () =>
    unique
      .map((_, i) => i)
      .sort(byKey)
      .map((i) => unique[i]);
  // One action only (ACCEPT rules, as every environment stack has): nothing is constrained.
  if (unique.every((r) => r.action === unique[0].action)) return sorted();
  // Kahn's algorithm over "must stay before" edges, taking the smallest key among the free rules.
  const blockers = unique.map(() => 0);
  const after: number[][] = unique.map(() => []);
  let edges = 0;
  for (let j = 0; j < unique.length; j++) {
    for (let i = 0; i < j; i++) {
      if (unique[i].action !== unique[j].action && rulesOverlap(unique[i], unique[j])) {
        after[i].push(j);
        blockers[j]++;
        edges++;
      }
    }
  }
  if (edges === 0) return sorted();
  const out: FirewallRule[] = [];
  const done = unique.map(() => false);
  for (let step = 0; step < unique.length; step++) {
    let next = -1;
    for (let i = 0; i < unique.length; i++) {
      if (!done[i] && blockers[i] === 0 && (next < 0 || byKey(i, next) < 0)) next = i;
    }
    done[next] = true;
    out.push(unique[next]);
    for (const j of after[next]) blockers[j]--;
  }
  return out;
}

/** @deprecated Renamed {@link orderRules}, which keeps the first-match meaning (a plain sort did not). */
export const sortRules = orderRules;

/**
 * The earlier rule that makes `later` never apply — it matches every packet `later` matches and
 * does something else — or undefined. Only literal peers are judged; a copy of an earlier rule is
 * not judged (rendering drops it, the earlier one counts).
 */
export function shadowingRule(earlier: readonly FirewallRule[], later: FirewallRule): FirewallRule | undefined {
  const rl = peerRange(later.peer);
  if (!rl || earlier.some((r) => key(r) === key(later))) return undefined;
  return earlier.find((e) => {
    const re = peerRange(e.peer);
    if (!re || e.action === later.action || e.direction !== later.direction || e.port.protocol !== later.port.protocol) return false;
    const portCovered =
      later.port.protocol === "icmp"
        ? e.port.icmpType === undefined || e.port.icmpType === later.port.icmpType
        : (e.port.fromPort as number) <= (later.port.fromPort as number) && (later.port.toPort as number) <= (e.port.toPort as number);
    return portCovered && re.first <= rl.first && rl.last <= re.last;
  });
}

/**
 * Warns when `rule`, just added, can never apply because an earlier rule with another action
 * matches everything it matches (PVE applies the first match). An ignored intent is not silent.
 */
export function warnIfShadowed(scope: Construct, rules: readonly FirewallRule[], rule: FirewallRule): void {
  const earlier = shadowingRule(rules.slice(0, rules.lastIndexOf(rule)), rule);
  if (!earlier) return;
  Annotations.of(scope).addWarning(
    `${rule.action} ${rule.direction} ${String(rule.port)} ${rule.peer.label} never applies: the earlier ${earlier.action} ${String(earlier.port)} ${earlier.peer.label} matches every packet it would (PVE applies the first matching rule). Add the ${rule.action} first.`,
  );
}

/** Default comment of a rule, e.g. `in tcp/5432 from +app`. */
export function ruleComment(r: FirewallRule): string {
  return r.comment ?? `${r.direction} ${String(r.port)} ${r.direction === "in" ? "from" : "to"} ${r.peer.label}`;
}

/**
 * What a rule matches, in the provider's fields. ICMP echo-request is PVE's `Ping` macro (ICMP
 * echo-request and nothing else, in both PVE firewall backends); ICMP without a type is `proto:
 * icmp`, every ICMP type. Any other type cannot be written exactly (see {@link Port.icmp}).
 */
function renderMatch(port: Port): Pick<VirtualEnvironmentFirewallRulesRule, "macro" | "proto" | "dport"> {
  if (port.protocol === "icmp") {
    if (port.icmpType === undefined) return { proto: "icmp" };
    if (port.icmpType === "echo-request") return { macro: "Ping" };
    throw new Error(`Port ${String(port)}: no exact PVE rule for ICMP type "${port.icmpType}"; rendering proto icmp would open every ICMP type.`);
  }
  return { proto: port.protocol, dport: port.dport };
}

/** Renders rules to the bpg/proxmox `rule` blocks, in the order of {@link orderRules}. */
export function renderRules(rules: readonly FirewallRule[]): VirtualEnvironmentFirewallRulesRule[] {
  return orderRules(rules).map((r) => ({
    type: r.direction,
    action: r.action,
    ...renderMatch(r.port),
    ...(r.direction === "in" ? { source: r.peer.address } : { dest: r.peer.address }),
    comment: ruleComment(r),
    enabled: true,
  }));
}

/** A rule that inserts a cluster security group into a guest's rule list. */
export function securityGroupRule(groupName: string, comment?: string): VirtualEnvironmentFirewallRulesRule {
  return { securityGroup: groupName, comment: comment ?? `security group ${groupName}`, enabled: true };
}
