import { scalarText } from "../terraform/scalar-text";
import { PORT_PRESETS, PortCategory, PortPresetName, presetsOpenedBy } from "../envspec/port";
import { PolicyContext } from "./context";
import { PolicyResource } from "./policy-resource";
import { macroEntries } from "./pve-macros";
import { T } from "./resource-types";
import { Violation } from "./rule";
import { blocks, bool, isUnknown, raw, str, unevaluable, value } from "./values";

/**
 * Which port presets an ingress ACCEPT rule opens to every address. Port classes come from the
 * preset table (envspec/port.ts): a rule watches presets by name or by category, so a preset added to
 * the table is watched without touching the rules.
 */

/** The presets of a category, in table order. */
export function presetsIn(category: PortCategory): PortPresetName[] {
  return (Object.keys(PORT_PRESETS) as PortPresetName[]).filter((name) => PORT_PRESETS[name].category === category);
}

/** `tcp/22`, `tcp/2379-2380`: the ranges of a preset as text. */
function presetRanges(name: PortPresetName): string[] {
  return PORT_PRESETS[name].ranges.map((r) => `${r.protocol}/${r.from === r.to ? r.from : `${r.from}-${r.to}`}`);
}

/** `ssh (tcp/22)`, `etcd (tcp/2379-2380)`: a preset as rule texts name it. */
export function presetLabel(name: PortPresetName): string {
  return `${name} (${presetRanges(name).join(", ")})`;
}

const ANY_ADDRESSES = new Set(["0.0.0.0/0", "::/0", "0/0", "0.0.0.0"]);

/** Whether an address entry admits every address: one of {@link ANY_ADDRESSES}, or any network with prefix length 0 (`10.0.0.0/0`). */
function isAnyAddress(entry: string): boolean {
  return ANY_ADDRESSES.has(entry) || /^[0-9a-fA-F:.]+\/0+$/.test(entry);
}

/**
 * A VM's address exactly as the constructs render it (HardenedVm.ipv4Address in peers, aliases and
 * IP set entries): `${element(element(proxmox_virtual_environment_vm.<name>.ipv4_addresses, <n>), <m>)}`.
 * It is one host, never "any", though known only at apply — but only as a whole value (or a whole
 * entry of a source list): text around it (`${…}/0`, `0.0.0.0/0 ${…}`) could make it any network,
 * so it stays an interpolation the policy cannot evaluate.
 */
const VM_ADDRESS = `\\$\\{element\\(element\\((?:${T.vm.join("|")})\\.[A-Za-z0-9_-]+\\.ipv[46]_addresses, \\d+\\), \\d+\\)\\}`;
const WHOLE_VM_ADDRESS = new RegExp(`^${VM_ADDRESS}$`);
const VM_ADDRESS_ENTRY = new RegExp(`(^|,)(\\s*)${VM_ADDRESS}(?=\\s*(?:,|$))`, "g");

/** Whether `text` is exactly one VM address reference (an alias's cidr, an IP set entry). */
function isVmAddress(text: string): boolean {
  return WHOLE_VM_ADDRESS.test(text);
}

/** A source list with every entry that is exactly a VM address reference replaced by a placeholder host address (a single host, not "any"). */
function withVmAddressesAsHosts(text: string): string {
  return text.replace(VM_ADDRESS_ENTRY, "$1$2192.0.2.1");
}

/** /etc/services names PVE accepts in `dport` that the policy knows; any other name cannot be evaluated. */
const SERVICE_PORTS: Readonly<Record<string, number>> = { ssh: 22, "ms-wbt-server": 3389, mysql: 3306, postgresql: 5432, http: 80, https: 443 };

/** Protocols whose rules can carry ports, by the transport the preset table knows (pve-firewall's $PROTOCOLS_WITH_PORTS). */
const TRANSPORTS: Readonly<Record<string, "tcp" | "udp">> = { tcp: "tcp", "6": "tcp", udp: "udp", "17": "udp" };

/**
 * Violations for every enabled ingress ACCEPT rule (VM, node and cluster rule lists, security
 * groups) that opens one of `watched` from every address: source empty, 0.0.0.0/0 or ::/0, or an
 * IP set or alias of the stack that holds it. Each rule is judged on its own; a field the policy
 * cannot evaluate (an interpolation, an unknown macro or service name, an IP set, alias or
 * security group defined outside the stack) is a "could not evaluate" finding, never a pass.
 * @param what how messages name the watched class, e.g. `a database port`
 */
export function exposureViolations(ctx: PolicyContext, watched: readonly PortPresetName[], what: string): Violation[] {
  return ctx.each(ctx.ofType([...T.firewallRules, ...T.securityGroup]), (resource) =>
    ctx.each(
      blocks(resource.config, "rule").map((rule, i) => ({ rule, position: i + 1 })),
      ({ rule, position }) => {
        const opened = openedToEveryone(ctx, rule, watched);
        if (opened.length === 0) return [];
        const ranges = opened.flatMap((name) => presetRanges(name));
        const presets = `[preset${opened.length > 1 ? "s" : ""} ${opened.join(", ")}]`;
        return [
          {
            subject: resource.construct,
            message: `rule #${position} (${describe(rule)}) of ${resource.address} opens ${what} (${ranges.join(", ")}) to every address ${presets}.`,
          },
        ];
      },
    ),
  );
}

/** The watched presets one rule opens to every address (empty when it opens none of them). */
function openedToEveryone(ctx: PolicyContext, rule: Record<string, unknown>, watched: readonly PortPresetName[]): PortPresetName[] {
  if (bool(rule, "enabled") === false) return [];
  const group = str(rule, "security_group");
  if (group) {
    // The group's own rules are judged where the group is defined; one defined elsewhere is unknown.
    if (!ctx.ofType(T.securityGroup).some((g) => str(g.config, "name") === group)) {
      unevaluable(rule, "security_group", `the security group "${group}" is not defined in this stack, so the rules it inserts are unknown`);
    }
    return [];
  }
  if (str(rule, "type") !== "in" || str(rule, "action") !== "ACCEPT") return [];
  const opened = presetsOpenedByRule(rule).filter((p) => watched.includes(p));
  return opened.length > 0 && isAnySource(ctx, rule) ? opened : [];
}

/** Every preset a rule's macro, or protocol and destination ports, open. */
function presetsOpenedByRule(rule: Record<string, unknown>): PortPresetName[] {
  const macro = str(rule, "macro");
  if (macro) {
    const entries = macroEntries(macro) ?? unevaluable(rule, "macro", `PVE has no macro "${macro}"`);
    return unique(entries.flatMap((entry) => presetsOf(rule, entry.split("/")[0], entry.split("/")[1], "macro")));
  }
  return presetsOf(rule, str(rule, "proto")?.toLowerCase() ?? "", str(rule, "dport") ?? "", "dport");
}

/**
 * Presets opened by `proto` with destination ports `dport` (PVE syntax: `22`, `20:30`, `80,443`,
 * service names; empty = every port). No protocol means every protocol (PVE refuses ports without
 * one; the policy then assumes both transports).
 */
function presetsOf(rule: Record<string, unknown>, proto: string, dport: string, key: string): PortPresetName[] {
  const transports = proto === "" ? (["tcp", "udp"] as const) : TRANSPORTS[proto] ? [TRANSPORTS[proto]] : [];
  // Other protocols have no ports (icmp's dport is an ICMP type): they open no preset.
  if (transports.length === 0) return [];
  const ranges = dport === "" ? ["1-65535"] : dport.split(",").map((item) => portRange(rule, item.trim(), key));
  return unique(transports.flatMap((t) => ranges.flatMap((r) => presetsOpenedBy(`${t}/${r}`))));
}

/** `from-to` text of one dport item; a service name the policy does not know cannot be evaluated. */
function portRange(rule: Record<string, unknown>, item: string, key: string): string {
  const range = /^(\d+)(?::(\d+))?$/.exec(item);
  if (range) return `${Math.max(1, Number(range[1]))}-${Math.min(65535, Number(range[2] ?? range[1]))}`;
  const service = SERVICE_PORTS[item.toLowerCase()];
  if (service === undefined) unevaluable(rule, key, `"${item}" is a service name PVE looks up in the host's /etc/services, which the policy does not read`);
  return `${service}-${service}`;
}

/** Whether a rule's source admits every address. */
function isAnySource(ctx: PolicyContext, rule: Record<string, unknown>): boolean {
  const written = raw(rule, "source");
  if (written === undefined || written === null || written === "") return true;
  const source = withVmAddressesAsHosts(scalarText(written));
  if (isUnknown(source)) value(rule, "source"); // throws: an interpolation other than a VM's address
  return source.split(",").some((part) => {
    const entry = part.trim();
    if (isAnyAddress(entry)) return true;
    if (entry.startsWith("+")) return ipsetHoldsAny(ctx, rule, entry.slice(1).replace(/^(dc|guest)\//, ""));
    if (/^[0-9a-fA-F:./-]+$/.test(entry)) return false;
    return aliasIsAny(ctx, rule, entry.replace(/^(dc|guest)\//, ""));
  });
}

function ipsetHoldsAny(ctx: PolicyContext, rule: Record<string, unknown>, name: string): boolean {
  const sets = ctx.ofType(T.ipset).filter((r) => str(r.config, "name") === name);
  if (sets.length === 0) unevaluable(rule, "source", `the IP set "${name}" is not defined in this stack, so its entries are unknown`);
  return sets.some((set) =>
    blocks(set.config, "cidr").some((c) => {
      const address = raw(c, "name");
      if (typeof address === "string" && isVmAddress(address)) return false;
      return bool(c, "nomatch") !== true && isAnyAddress(str(c, "name") ?? "");
    }),
  );
}

function aliasIsAny(ctx: PolicyContext, rule: Record<string, unknown>, name: string): boolean {
  const aliases = ctx.ofType(T.alias).filter((r) => str(r.config, "name") === name);
  if (aliases.length === 0) unevaluable(rule, "source", `the alias "${name}" is not defined in this stack, so its address is unknown`);
  // A DHCP VmGroup member's alias stands for its agent-reported address: one host, never "any".
  // Any other interpolation is still unevaluable (str throws).
  return aliases.some((a: PolicyResource) => {
    const cidr = raw(a.config, "cidr");
    if (typeof cidr === "string" && isVmAddress(cidr)) return false;
    return isAnyAddress(str(a.config, "cidr") ?? "");
  });
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The rule as text, e.g. `in ACCEPT tcp/22 from 0.0.0.0/0`. */
function describe(rule: Record<string, unknown>): string {
  const what = str(rule, "macro") || [str(rule, "proto") || "any protocol", str(rule, "dport")].filter(Boolean).join("/");
  const source = raw(rule, "source");
  return `in ACCEPT ${what} from ${source ? scalarText(source) : "any (no source)"}`;
}
