import { createHash } from "crypto";
import { Construct } from "constructs";
import { FirewallIpSet } from "./firewall-ipset";
import { checkCidr, checkDnsLabel, checkIntRange, ipv4ToText, parseIpv4 } from "./input-checks";

// What VmGroup and ContainerGroup share about their members: their shape (count, names, nodes,
// ids), static addresses from a pool and the IP set of a static membership. Internal (not exported
// from the package root).

/** The props of a group that say how many members there are, what they are called and where they go. */
export interface GroupShape {
  readonly count: number;
  readonly namePrefix: string;
  readonly nodes: readonly string[];
  readonly firstVmId?: number;
}

/** One member's place in its group: name, node (round-robin over `nodes`) and id (consecutive from `firstVmId`). */
export interface MemberSlot {
  readonly name: string;
  readonly node: string;
  readonly vmId?: number;
}

/**
 * Checks a group's shape and returns its members' slots. `guests` names the members in messages
 * (`VMs`, `containers`).
 */
export function memberSlots(owner: string, shape: GroupShape, guests: string): MemberSlot[] {
  checkIntRange(owner, "count", shape.count, 1, 500, `a typo must not create thousands of ${guests}`);
  checkDnsLabel(owner, "namePrefix", shape.namePrefix);
  if (shape.nodes.length === 0) throw new Error(`${owner}: nodes is empty — list at least one node to place ${guests} on.`);
  const first = shape.firstVmId;
  if (first !== undefined) checkIntRange(owner, "firstVmId", first, 100, 999_999_999 - (shape.count - 1), `its ${shape.count} members take consecutive ids`);
  return Array.from({ length: shape.count }, (_, i) => ({
    name: `${shape.namePrefix}-${i + 1}`,
    node: shape.nodes[i % shape.nodes.length],
    vmId: first !== undefined ? first + i : undefined,
  }));
}

/** Static addressing of a group: member i gets `network + firstHost + i`. */
export interface Ipv4Pool {
  /** The subnet, e.g. `10.20.0.0/24`. */
  readonly cidr: string;
  /** Host number of the first member inside the subnet. @default 10 */
  readonly firstHost?: number;
  /** Default gateway. @default none */
  readonly gateway?: string;
  /**
   * Prefix length of the on-link network when the pool is a slice of a larger subnet
   * (pool 10.30.0.16/28 inside 10.30.0.0/24 → 24).
   * @default the pool's own prefix
   */
  readonly networkPrefixLength?: number;
}

/** Longest base of a member set's name: PVE allows 64 characters, the version takes 9. */
const MEMBER_SET_BASE_LENGTH = 55;

/**
 * The IP set of a static group's members (literal addresses). bpg/proxmox replaces an IP set whenever
 * its entries change (every `cidr` field is ForceNew): it deletes the set, then creates it, and
 * pve-firewall skips rules naming a set that does not exist (inbound traffic they allowed is dropped
 * meanwhile). So the set is versioned by its membership — name `<base>-<8 hex>`, construct id
 * `ipset-<8 hex>` — and created before the old one is destroyed: Terraform creates the new set,
 * moves the rules to it in place and only then deletes the old one; no rule ever names a missing set
 * (`__tests__/e2e/constructs/tier-growth-e2e.test.ts`). This is safe because the set depends on
 * nothing Terraform may replace: create-before-destroy spreads to a resource's dependencies.
 */
export function memberSet(scope: Construct, base: string, entries: ReadonlyArray<{ cidr: string; comment: string }>, comment: string): FirewallIpSet {
  const version = createHash("sha256")
    .update(JSON.stringify([base, entries]))
    .digest("hex")
    .slice(0, 8);
  return new FirewallIpSet(scope, `ipset-${version}`, {
    name: `${base.slice(0, MEMBER_SET_BASE_LENGTH)}-${version}`,
    label: base,
    entries,
    comment,
    createBeforeDestroy: true,
  });
}

/** The static addresses (with the on-link prefix) of `count` members of `pool`, checked. */
export function allocate(owner: string, pool: Ipv4Pool, count: number): string[] {
  checkCidr(owner, "ipv4Pool.cidr", pool.cidr, { network: true });
  const [net, prefixText] = pool.cidr.split("/");
  const prefix = Number(prefixText);
  const first = pool.firstHost ?? 10;
  const capacity = 2 ** (32 - prefix) - 2;
  if (first < 1 || first + count - 1 > capacity) {
    throw new Error(`${owner}: ipv4Pool ${pool.cidr} has no room for ${count} hosts from host ${first} — use a larger subnet or a lower firstHost.`);
  }
  const onLink = pool.networkPrefixLength ?? prefix;
  checkIntRange(owner, "ipv4Pool.networkPrefixLength", onLink, 1, prefix);
  const base = parseIpv4(net) as number;
  return Array.from({ length: count }, (_, i) => `${ipv4ToText(base + first + i)}/${onLink}`);
}
