import { parameterError } from "../pve-error";
import { splitList } from "../pve-formats";
import type { ClusterFwConfig, FwConfig, FwRule, RuleEnv } from "./firewall-store";
import { FW_NAME_PATTERN, parseAddressList } from "./ip";
import { canonicalMacro } from "./macros";

/** The fields a client may set on a rule (PVE::Firewall $rule_properties without pos/digest). */
export const RULE_FIELDS = ["type", "action", "macro", "iface", "source", "dest", "proto", "enable", "log", "sport", "dport", "comment", "icmp-type"] as const;

/** /etc/protocols names as found on a PVE node (pve-firewall accepts these or their numbers). */
const PROTOCOLS = new Set(
  (
    "ip hopopt icmp igmp ggp ipencap st tcp egp igp pup udp hmp xns-idp rdp iso-tp4 dccp xtp ddp " +
    "idpr-cmtp ipv6 ipv6-route ipv6-frag idrp rsvp gre esp ah skip ipv6-icmp icmpv6 ipv6-nonxt " +
    "ipv6-opts rspf vmtp eigrp ospf ax.25 ipip etherip encap pim ipcomp vrrp l2tp isis sctp fc " +
    "mobility-header udplite mpls-in-ip manet hip shim6 wesp rohc ethernet mptcp"
  ).split(" "),
);
const PROTOCOLS_WITH_PORTS = new Set(["udp", "17", "udplite", "136", "tcp", "6", "dccp", "33", "sctp", "132"]);
const ICMP_PROTOCOLS = new Set(["icmp", "icmpv6", "ipv6-icmp"]);
const ALLOWED_TYPES: Record<RuleEnv, readonly string[]> = {
  cluster: ["in", "out", "forward", "group"],
  host: ["in", "out", "forward", "group"],
  vm: ["in", "out", "group"],
  ct: ["in", "out", "group"],
  group: ["in", "out", "forward"],
};

/**
 * PVE::Firewall::copy_rule_data: every given field is set, and an empty value (or `-`) removes
 * the field — which is how the provider's empty strings (`dest=`, `macro=`) leave no trace.
 */
export function copyRuleData(rule: FwRule, args: Readonly<Record<string, string>>): void {
  for (const field of RULE_FIELDS) {
    const value = args[field];
    if (value === undefined) continue;
    if (value === "" || value === "-") delete rule[field];
    else rule[field] = field === "enable" ? Number(value) : value;
  }
}

/** PVE::Firewall::delete_rule_properties for the `delete` list of a rule update. */
export function deleteRuleProperties(rule: FwRule, list: string): void {
  for (const field of splitList(list)) {
    if (field === "type" || field === "action") {
      throw parameterError({ delete: `unable to delete required property '${field}'` });
    }
    if (!(RULE_FIELDS as readonly string[]).includes(field) && field !== "pos" && field !== "digest") {
      throw parameterError({ delete: `no such property ('${field}')` });
    }
    delete rule[field];
  }
}

function checkPorts(spec: string, field: string, icmp: boolean): string | undefined {
  for (const item of spec.split(",")) {
    const range = /^(\d+):(\d+)$/.exec(item);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > 65535 || to > 65535) return `invalid port '${from > 65535 ? from : to}'`;
      if (from > to) return `backwards range '${from}:${to}' not allowed, did you mean '${to}:${from}'?`;
    } else if (/^\d+$/.test(item)) {
      if (Number(item) > 65535) return `invalid port '${item}'`;
    } else if (!/^[a-z][a-z0-9-]*$/.test(item) || (field === "sport" && icmp)) {
      return `invalid port '${item}'`;
    }
  }
  return undefined;
}

/** Resolves an alias reference the way verify_rule does (`dc/` = cluster only, `guest/` = local only). */
function aliasVersion(value: string, cluster: ClusterFwConfig, local: FwConfig | undefined): number | undefined | null {
  const match = /^(dc\/|guest\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(value);
  if (!match) return undefined;
  const name = match[2].toLowerCase();
  const fromLocal = match[1] !== "dc/" ? local?.aliases[name] : undefined;
  const found = fromLocal ?? (match[1] !== "guest/" ? cluster.aliases[name] : undefined);
  return found ? found.ipversion : null;
}

/**
 * PVE::Firewall::verify_rule for the API (errors raised as 400 with the field), then the
 * normalisation PVE's config reload applies: canonical macro name, derived `ipversion`, and
 * group rules keeping only `iface`, `comment` and `enable`.
 */
export function verifyRule(rule: FwRule, env: RuleEnv, cluster: ClusterFwConfig, local: FwConfig | undefined): void {
  const fail = (field: string, message: string): never => {
    throw parameterError({ [field]: message });
  };
  const type = rule.type as string | undefined;
  const action = rule.action as string | undefined;
  if (!type) fail("type", "missing property");
  if (!action) fail("action", "missing property");
  if (!ALLOWED_TYPES[env].includes(type!)) fail("type", `invalid rule type '${type}' for rule_env '${env}'`);
  if (type === "group") {
    if (!FW_NAME_PATTERN.test(action!)) fail("action", "invalid characters in security group name");
  } else {
    if (type === "forward" && action === "REJECT") fail("action", "cannot define REJECT rules on forward chain");
    if (!/^(ACCEPT|DROP|REJECT)$/.test(action!)) fail("action", `unknown action '${action}'`);
  }

  const iface = rule.iface as string | undefined;
  if (iface) {
    if (env === "group") fail("type", "parameter -i not allowed for this rule type");
    if ((env === "vm" || env === "ct") && !/^net\d+$/.test(iface)) {
      fail("iface", "value does not match the regex pattern 'net\\d+'");
    }
  }
  if (rule.macro) {
    const canonical = canonicalMacro(String(rule.macro));
    if (!canonical) fail("macro", `unknown macro '${rule.macro}'`);
    rule.macro = canonical!;
  }

  let ipversion: number | undefined;
  const setVersion = (field: string, version: number | undefined): void => {
    if (!version) return;
    if (ipversion && ipversion !== version) fail(field, "detected mixed ipv4/ipv6 addresses in rule");
    ipversion = version;
  };
  const proto = rule.proto as string | undefined;
  const icmp = !!proto && ICMP_PROTOCOLS.has(proto);
  if (proto) {
    const known = PROTOCOLS.has(proto) || (/^\d+$/.test(proto) && Number(proto) <= 255);
    if (!known) fail("proto", `unknown protocol '${proto}'`);
    setVersion("proto", proto === "icmp" ? 4 : icmp ? 6 : undefined);
  }
  for (const field of ["dport", "sport"] as const) {
    const spec = rule[field] as string | undefined;
    if (!spec) continue;
    const bad = checkPorts(spec, field, icmp);
    if (bad) fail(field, bad);
    if (!proto) fail("proto", `missing property - '${field}' requires this property`);
    if (!PROTOCOLS_WITH_PORTS.has(proto!) && !(field === "dport" && icmp)) {
      fail(field, `protocol '${proto}' does not support ports`);
    }
  }
  if (rule["icmp-type"]) {
    if (!icmp) fail("proto", "missing property - 'icmp-type' requires this property");
    if (rule.dport) fail("icmp-type", "'icmp-type' cannot be specified together with 'dport'");
  }
  for (const field of ["source", "dest"] as const) {
    const value = rule[field] as string | undefined;
    if (!value) continue;
    try {
      setVersion(field, parseAddressList(value));
    } catch (error) {
      fail(field, (error as Error).message);
    }
    const ipset = /^\+(?:guest\/|dc\/|sdn\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(value);
    if (value.startsWith("+")) {
      if (!ipset) fail(field, `invalid ipset name '${value}'`);
      // stored names are lower case (the config parser folds them), the lookup is exact
      const name = ipset![1];
      if (!cluster.ipsets[name] && !local?.ipsets[name]) fail(field, `no such ipset '${name}'`);
    } else {
      const version = aliasVersion(value, cluster, local);
      if (version === null) fail(field, `no such alias '${value}'`);
      setVersion(field, version ?? undefined);
    }
  }

  delete rule.ipversion;
  if (ipversion) rule.ipversion = ipversion;
  if (type === "group") {
    for (const field of Object.keys(rule)) {
      if (!["type", "action", "enable", "iface", "comment"].includes(field)) delete rule[field];
    }
  }
  if (typeof rule.comment === "string") rule.comment = rule.comment.trim();
}
