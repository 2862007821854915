import { parsePort, PortRange, ResolvedEnvironment, Stage } from "../../envspec";

/**
 * Tiers whose name matches `match` (a case-insensitive regular expression, e.g. `web|frontend`):
 * at least one must exist, and their VM counts added up must satisfy the bounds.
 */
export interface TierExpectation {
  readonly match: string;
  /** Exact total of VMs. @default any */
  readonly count?: number;
  /** Smallest total. @default 1 */
  readonly min?: number;
  /** Largest total. @default any */
  readonly max?: number;
  /** Operating system of every matching tier. @default any */
  readonly os?: "linux" | "windows";
}

/** Traffic that must be allowed from a tier to a tier (names as regular expressions). */
export interface FlowExpectation {
  readonly from: string;
  readonly to: string;
  /** Port preset or `tcp/<n>`; an intent whose ranges overlap it counts. */
  readonly port: string;
}

/** Expected properties of a drafted environment; every field is optional. */
export interface Expectation {
  readonly stage?: Stage;
  readonly network?: "sdn" | "bridge";
  readonly tiers?: readonly TierExpectation[];
  /** Exact number of VMs in the environment. */
  readonly totalVms?: number;
  /** Ports that must be open to 0.0.0.0/0 on some tier. */
  readonly exposedToWorld?: readonly string[];
  /** Ports no tier may open to 0.0.0.0/0 (ranges covering them count as open). */
  readonly notExposedToWorld?: readonly string[];
  /** Flows that must be allowed. */
  readonly allow?: readonly FlowExpectation[];
  /**
   * Flows only `from` may open: every allow to `to` on `port` comes from `from`, and no `to` tier
   * that is not itself a `from` tier exposes `port` outside: `{ to: db, port: postgres, from: web }`.
   */
  readonly onlyFrom?: readonly FlowExpectation[];
  /** Backup job on (after stage defaults). */
  readonly backups?: boolean;
  /** HA on (after stage defaults). */
  readonly ha?: boolean;
  /** Protection flag on (after stage defaults). */
  readonly protection?: boolean;
}

/** Keys an expectation may have (the eval set loader refuses others: a typo must not pass silently). */
export const EXPECTATION_KEYS: readonly (keyof Expectation)[] = [
  "stage",
  "network",
  "tiers",
  "totalVms",
  "exposedToWorld",
  "notExposedToWorld",
  "allow",
  "onlyFrom",
  "backups",
  "ha",
  "protection",
];

const overlaps = (a: readonly PortRange[], b: readonly PortRange[]) =>
  a.some((x) => b.some((y) => x.protocol === y.protocol && (x.protocol === "icmp" || (x.from! <= y.to! && y.from! <= x.to!))));

const matcher = (pattern: string) => {
  const re = new RegExp(`^(?:${pattern})$`, "i");
  return (name: string) => re.test(name);
};

const WORLD = "0.0.0.0/0";

/**
 * Every way `env` misses `expect`, one line each; empty when it meets every expectation. Tier
 * names are matched as whole names (`web` does not match `webcache`).
 */
export function checkExpectations(env: ResolvedEnvironment, expect: Expectation): string[] {
  const failures: string[] = [];
  const tiers = Object.values(env.tiers);
  if (expect.stage && env.stage !== expect.stage) failures.push(`stage: expected ${expect.stage}, got ${env.stage}`);
  if (expect.network && env.network.kind !== expect.network) failures.push(`network: expected ${expect.network}, got ${env.network.kind}`);
  for (const t of expect.tiers ?? []) {
    const hits = tiers.filter((tier) => matcher(t.match)(tier.name));
    const total = hits.reduce((n, tier) => n + tier.count, 0);
    const names = tiers.map((tier) => tier.name).join(", ");
    if (hits.length === 0) failures.push(`tiers: none matches /${t.match}/ (tiers: ${names})`);
    else if (t.count !== undefined && total !== t.count) failures.push(`tiers /${t.match}/: expected ${t.count} VM(s), got ${total}`);
    else if (total < (t.min ?? 1) || (t.max !== undefined && total > t.max))
      failures.push(`tiers /${t.match}/: expected ${t.min ?? 1}..${t.max ?? "∞"} VM(s), got ${total}`);
    if (t.os && hits.some((tier) => tier.os !== t.os)) failures.push(`tiers /${t.match}/: expected os ${t.os}`);
  }
  const vms = tiers.reduce((n, tier) => n + tier.count, 0);
  if (expect.totalVms !== undefined && vms !== expect.totalVms) failures.push(`totalVms: expected ${expect.totalVms}, got ${vms}`);
  const world = env.firewall.expose.filter((e) => e.from === WORLD);
  for (const port of expect.exposedToWorld ?? []) {
    if (!world.some((e) => overlaps(e.ranges, parsePort(port)))) failures.push(`exposedToWorld: ${port} is not open to ${WORLD}`);
  }
  for (const port of expect.notExposedToWorld ?? []) {
    for (const e of world.filter((x) => overlaps(x.ranges, parsePort(port))))
      failures.push(`notExposedToWorld: ${port} is open to ${WORLD} on tier ${e.tier} (${e.port})`);
  }
  for (const f of expect.allow ?? []) {
    const ok = env.firewall.allow.some((a) => matcher(f.from)(a.from) && matcher(f.to)(a.to) && overlaps(a.ranges, parsePort(f.port)));
    if (!ok) failures.push(`allow: no intent lets /${f.from}/ reach /${f.to}/ on ${f.port}`);
  }
  for (const f of expect.onlyFrom ?? []) {
    const stray = env.firewall.allow.filter((a) => matcher(f.to)(a.to) && overlaps(a.ranges, parsePort(f.port)) && !matcher(f.from)(a.from));
    stray.forEach((a) => failures.push(`onlyFrom: ${a.from} may reach ${a.to} on ${a.port}; only /${f.from}/ should`));
    // A tier matching `from` is the way in (a bastion exposed to the admin network), not a bypass.
    const exposed = env.firewall.expose.filter((e) => matcher(f.to)(e.tier) && !matcher(f.from)(e.tier) && overlaps(e.ranges, parsePort(f.port)));
    exposed.forEach((e) => failures.push(`onlyFrom: ${e.tier} ${e.port} is exposed to ${e.from}; only /${f.from}/ should reach it`));
  }
  if (expect.backups !== undefined && env.backups.enabled !== expect.backups) failures.push(`backups: expected ${expect.backups ? "on" : "off"}`);
  if (expect.ha !== undefined && env.ha.enabled !== expect.ha) failures.push(`ha: expected ${expect.ha ? "on" : "off"}`);
  if (expect.protection !== undefined && env.protection !== expect.protection) failures.push(`protection: expected ${expect.protection ? "on" : "off"}`);
  return failures;
}
