import { cidrContains, cidrContainsAddress, cidrsOverlap, formatIpv4, Ipv4Cidr, lastAddress, networkAddress, parseCidr, parseIpv4, poolHosts } from "./ipv4";
import { asMap, asString, RawMap, tierCount } from "./raw-access";
import type { SpecIssue, SpecPath } from "./spec-issue";

interface Subnet {
  readonly cidr: Ipv4Cidr;
  readonly text: string;
  readonly gateway?: number;
}

/** A written IPv4 network whose host bits are zero, or undefined (the schema reports the rest). */
function network(text: string | undefined): Ipv4Cidr | undefined {
  const cidr = text === undefined ? undefined : parseCidr(text);
  return cidr !== undefined && networkAddress(cidr) === cidr.address ? cidr : undefined;
}

/**
 * The subnet static pools are checked against: a Subnet, "missing" when the network is a bridge
 * without one, or undefined when it cannot be known (no valid network; the schema reports that).
 */
type PoolSubnet = Subnet | "missing" | undefined;

/** Gateway and subnet consistency, then every static pool against the subnet and the other pools. */
export function networkChecks(spec: RawMap): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const net = asMap(spec.network);
  const kind = asMap(net?.sdn) !== undefined ? "sdn" : asMap(net?.bridge) !== undefined ? "bridge" : undefined;
  let poolSubnet: PoolSubnet;
  if (kind !== undefined) {
    const block = asMap(net![kind])!;
    const base: SpecPath = ["network", kind];
    const subnetText = asString(block.subnet);
    const gatewayText = asString(block.gateway);
    if (kind === "bridge" && (block.subnet === undefined) !== (block.gateway === undefined)) {
      const missing = block.subnet === undefined ? "subnet" : "gateway";
      issues.push({ path: base, at: "value", message: `set both subnet and gateway, or neither; ${missing} is missing` });
    }
    const cidr = network(subnetText);
    const gateway = gatewayText === undefined ? undefined : parseIpv4(gatewayText);
    if (cidr !== undefined) poolSubnet = { cidr, text: subnetText!, gateway };
    else if (kind === "bridge" && block.subnet === undefined) poolSubnet = "missing";
    if (cidr !== undefined && gateway !== undefined) {
      const problem = !cidrContainsAddress(cidr, gateway)
        ? `must be inside the subnet ${subnetText}`
        : gateway === networkAddress(cidr)
          ? `must not be the network address of ${subnetText}`
          : gateway === lastAddress(cidr)
            ? `must not be the broadcast address of ${subnetText}`
            : undefined;
      if (problem !== undefined) issues.push({ path: [...base, "gateway"], at: "value", message: `${problem}, got ${gatewayText}` });
    }
  }
  issues.push(...poolChecks(spec, poolSubnet));
  return issues;
}

function poolChecks(spec: RawMap, subnet: PoolSubnet): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const pools: { tier: string; cidr: Ipv4Cidr; text: string }[] = [];
  for (const [tierName, tier] of Object.entries(asMap(spec.tiers) ?? {})) {
    const text = asString(asMap(tier)?.ipv4);
    const pool = text === undefined || text === "dhcp" ? undefined : network(text);
    if (pool === undefined) continue;
    const path: SpecPath = ["tiers", tierName, "ipv4"];
    const other = pools.find((p) => cidrsOverlap(p.cidr, pool));
    if (other !== undefined) {
      issues.push({ path, at: "value", message: `pool ${text} overlaps the pool ${other.text} of tier "${other.tier}"; give each tier its own range` });
    }
    pools.push({ tier: tierName, cidr: pool, text: text! });
    if (subnet === "missing") {
      issues.push({ path, at: "value", message: "a static pool needs network.bridge.subnet and network.bridge.gateway; add them or use dhcp" });
      continue;
    }
    if (subnet === undefined) continue;
    if (!cidrContains(subnet.cidr, pool)) {
      issues.push({ path, at: "value", message: `pool ${text} must lie inside the network subnet ${subnet.text}` });
      continue;
    }
    const count = tierCount(tier);
    if (count === undefined) continue;
    const hosts = poolHosts(pool);
    if (count > hosts.count) {
      const given = hosts.count === 0 ? "no addresses" : `${hosts.count} addresses (${formatIpv4(hosts.first)} to ${formatIpv4(hosts.last)})`;
      issues.push({
        path,
        at: "value",
        message: `pool ${text} gives its VMs ${given}, a pool's first and last address being unused, but the tier has ${count} VMs; use a larger pool`,
      });
      continue;
    }
    // A pool inside the subnet never reaches the subnet's network or broadcast address (its own
    // first and last addresses are unused); the gateway is the one address it can hand out.
    const gateway = subnet.gateway;
    if (gateway !== undefined && gateway >= hosts.first && gateway < hosts.first + count) {
      issues.push({
        path,
        at: "value",
        message: `VM ${gateway - hosts.first + 1} of the tier would get ${formatIpv4(gateway)}, the gateway of ${subnet.text}; choose a pool that does not contain the gateway (VM n takes the pool's address n)`,
      });
    }
  }
  return issues;
}
