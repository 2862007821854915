import type { VirtualEnvironmentFirewallRulesRule } from "../.gen/providers/proxmox/virtual-environment-firewall-rules";
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

function key(r: FirewallRule): string {
  return [r.direction, r.port.sortKey, r.peer.label, r.action].join("|");
}

/**
 * Orders rules deterministically (ingress first, then by protocol, port and peer) and drops exact
 * duplicates, so the same intents always produce the same rule list and no spurious diffs.
 */
export function sortRules(rules: readonly FirewallRule[]): FirewallRule[] {
  const seen = new Map<string, FirewallRule>();
  for (const r of rules) if (!seen.has(key(r))) seen.set(key(r), r);
  return [...seen.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Default comment of a rule, e.g. `in tcp/5432 from +app`. */
export function ruleComment(r: FirewallRule): string {
  return r.comment ?? `${r.direction} ${r.port} ${r.direction === "in" ? "from" : "to"} ${r.peer.label}`;
}

/** Renders rules to the bpg/proxmox `rule` blocks, sorted with {@link sortRules}. */
export function renderRules(rules: readonly FirewallRule[]): VirtualEnvironmentFirewallRulesRule[] {
  return sortRules(rules).map((r) => {
    const ping = r.port.protocol === "icmp" && r.port.icmpType === "echo-request";
    return {
      type: r.direction,
      action: r.action,
      ...(ping ? { macro: "Ping" } : { proto: r.port.protocol }),
      ...(r.port.dport ? { dport: r.port.dport } : {}),
      ...(r.direction === "in" ? { source: r.peer.address } : { dest: r.peer.address }),
      comment: ruleComment(r),
      enabled: true,
    };
  });
}

/** A rule that inserts a cluster security group into a guest's rule list. */
export function securityGroupRule(groupName: string, comment?: string): VirtualEnvironmentFirewallRulesRule {
  return { securityGroup: groupName, comment: comment ?? `security group ${groupName}`, enabled: true };
}
