import { PolicyContext } from "./context";
import { PolicyResource } from "./policy-resource";
import { T } from "./resource-types";
import { blocks, bool, str } from "./values";

/** PVE firewall macros that open well-known TCP ports (pve-firewall's macro table). */
const MACRO_TCP_PORTS: Readonly<Record<string, readonly number[]>> = {
  ssh: [22],
  rdp: [3389],
  mysql: [3306],
  postgresql: [5432],
};

/** /etc/services names PVE accepts in `dport`. */
const SERVICE_PORTS: Readonly<Record<string, number>> = { ssh: 22, "ms-wbt-server": 3389, mysql: 3306, postgresql: 5432 };

const ANY_ADDRESSES = new Set(["0.0.0.0/0", "::/0", "0/0", "0.0.0.0"]);

/** An ingress rule that accepts one of the watched ports from any address. */
export interface Exposure {
  readonly resource: PolicyResource;
  /** 1-based position of the rule in its list. */
  readonly position: number;
  /** Watched ports the rule opens. */
  readonly ports: readonly number[];
  /** The rule as text, e.g. `in ACCEPT tcp/22 from any`. */
  readonly text: string;
}

/**
 * Ingress ACCEPT rules (VM, node, cluster rule lists and security groups) that let any of `ports`
 * in from every address: source empty, 0.0.0.0/0 or ::/0, or an alias/IP set that contains it.
 * Disabled rules and rules with unknown fields are skipped.
 */
export function exposures(ctx: PolicyContext, ports: readonly number[]): Exposure[] {
  const found: Exposure[] = [];
  for (const resource of ctx.ofType([...T.firewallRules, ...T.securityGroup])) {
    blocks(resource.config, "rule").forEach((rule, i) => {
      if (bool(rule.enabled) === false || rule.security_group) return;
      if (str(rule.type) !== "in" || str(rule.action) !== "ACCEPT") return;
      if (!isAnySource(ctx, rule.source)) return;
      const opened = ports.filter((p) => opensTcpPort(rule, p));
      if (opened.length > 0) found.push({ resource, position: i + 1, ports: opened, text: describe(rule) });
    });
  }
  return found;
}

function isAnySource(ctx: PolicyContext, source: unknown): boolean {
  if (source === undefined || source === null || source === "") return true;
  const text = str(source);
  if (text === undefined) return false;
  return text.split(",").some((part) => {
    const entry = part.trim();
    if (ANY_ADDRESSES.has(entry)) return true;
    if (entry.startsWith("+")) return ipsetContainsAny(ctx, entry.slice(1).replace(/^(dc|guest)\//, ""));
    return aliasIsAny(ctx, entry.replace(/^(dc|guest)\//, ""));
  });
}

function ipsetContainsAny(ctx: PolicyContext, name: string): boolean {
  return ctx
    .ofType(T.ipset)
    .filter((r) => str(r.config.name) === name)
    .some((r) => blocks(r.config, "cidr").some((c) => bool(c.nomatch) !== true && ANY_ADDRESSES.has(str(c.name) ?? "")));
}

function aliasIsAny(ctx: PolicyContext, name: string): boolean {
  return ctx.ofType(T.alias).some((r) => str(r.config.name) === name && ANY_ADDRESSES.has(str(r.config.cidr) ?? ""));
}

/** Whether the rule opens TCP `port`: through its macro, or its protocol and `dport`. */
function opensTcpPort(rule: Record<string, unknown>, port: number): boolean {
  if (rule.macro !== undefined && rule.macro !== null && rule.macro !== "") {
    const macro = str(rule.macro);
    return macro !== undefined && (MACRO_TCP_PORTS[macro.toLowerCase()] ?? []).includes(port);
  }
  const proto = rule.proto === undefined || rule.proto === null || rule.proto === "" ? "any" : str(rule.proto)?.toLowerCase();
  if (proto !== "any" && proto !== "tcp" && proto !== "6") return false;
  if (rule.dport === undefined || rule.dport === null || rule.dport === "") return true;
  const dport = str(rule.dport);
  if (dport === undefined) return false;
  return dport.split(",").some((range) => {
    const [from, to] = range.trim().split(":").map(portNumber);
    if (from === undefined) return false;
    return port >= from && port <= (to ?? from);
  });
}

function portNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  return SERVICE_PORTS[text.toLowerCase()];
}

function describe(rule: Record<string, unknown>): string {
  const what = str(rule.macro) ?? [str(rule.proto) ?? "any protocol", str(rule.dport)].filter(Boolean).join("/");
  const source = str(rule.source);
  return `in ACCEPT ${what} from ${source ? source : "any (no source)"}`;
}

/** Message for one exposure: `rule #2 (in ACCEPT tcp/22 from 0.0.0.0/0) of <address>`. */
export function exposureMessage(e: Exposure, what: string): string {
  return `rule #${e.position} (${e.text}) of ${e.resource.address} opens ${what} (tcp/${e.ports.join(", tcp/")}) to every address.`;
}
