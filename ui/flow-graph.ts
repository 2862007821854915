import type { ResolvedEnvironment } from "../envspec";
import { FirewallIntent, firewallIntents, IntentService } from "../stacks/firewall-intents";

/** A box of the flow diagram: a tier, or an outside network that a tier is exposed to. */
export interface FlowNode {
  /** Stable id: `tier:<name>` or `net:<cidr>`. */
  readonly id: string;
  readonly label: string;
  readonly kind: "tier" | "network";
  /** Column from the left: networks 0, a tier one right of the deepest tier that reaches it. */
  readonly column: number;
}

/** An arrow: one firewall intent, from its source to the tier it admits traffic into. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** `tcp/443`, `udp/53`, `tcp/8000-8080`, `ping`. */
  readonly label: string;
  /** True when the source is an outside network (an exposure), drawn in its own colour. */
  readonly exposure: boolean;
  readonly comment: string;
}

/** Nodes and arrows of an environment's flows: exactly one arrow per firewall intent. */
export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/** How an intent's service reads on an arrow. */
export function serviceLabel(service: IntentService): string {
  if (service.protocol === "icmp") return "ping";
  return `${service.protocol}/${service.from === service.to ? service.from : `${service.from}-${service.to}`}`;
}

const sourceId = (i: FirewallIntent) => (i.source.kind === "tier" ? `tier:${i.source.tier}` : `net:${i.source.cidr}`);

/**
 * The flow graph of an environment, from {@link firewallIntents} (the list the firewall rules are
 * made from, so the picture cannot disagree with the rules).
 */
export function flowGraph(env: ResolvedEnvironment): FlowGraph {
  const intents = firewallIntents(env);
  const tiers = Object.keys(env.tiers);
  const column = new Map<string, number>(tiers.map((t) => [t, 1]));
  // Longest path from the networks; a cycle of tiers stops growing after one pass per tier.
  for (let pass = 0; pass < tiers.length; pass++) {
    let moved = false;
    for (const i of intents) {
      if (i.source.kind !== "tier" || i.source.tier === i.tier) continue;
      const want = (column.get(i.source.tier) ?? 1) + 1;
      if (want > (column.get(i.tier) ?? 1) && want <= tiers.length) {
        column.set(i.tier, want);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const networks = [...new Set(intents.flatMap((i) => (i.source.kind === "cidr" ? [i.source.cidr] : [])))];
  const nodes: FlowNode[] = [
    ...networks.map((cidr) => ({ id: `net:${cidr}`, label: cidr, kind: "network" as const, column: 0 })),
    ...tiers.map((t) => ({ id: `tier:${t}`, label: t, kind: "tier" as const, column: column.get(t) ?? 1 })),
  ];
  const edges = intents.map((i) => ({
    from: sourceId(i),
    to: `tier:${i.tier}`,
    label: serviceLabel(i.service),
    exposure: i.source.kind === "cidr",
    comment: i.comment,
  }));
  return { nodes, edges };
}
