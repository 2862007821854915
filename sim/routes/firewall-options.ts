import { configFor, type RuleEnv } from "../firewall/firewall-store";
import { FIREWALL_LEVELS } from "../firewall/levels";
import { assertDigest, objectDigest } from "../firewall/digest";
import { parameterError } from "../pve-error";
import { splitList } from "../pve-formats";
import { parsePveBoolean } from "../schema-check";
import { route, type ApiRequest, type Route } from "../route";
import type { SimContext } from "../context";

/** The options each config file accepts (PVE::Firewall option property tables). */
const OPTIONS: Record<Exclude<RuleEnv, "group">, readonly string[]> = {
  cluster: ["enable", "ebtables", "log_ratelimit", "policy_in", "policy_out", "policy_forward"],
  host: [
    "enable",
    "log_level_in",
    "log_level_out",
    "log_level_forward",
    "log_nf_conntrack",
    "ndp",
    "nf_conntrack_allow_invalid",
    "nf_conntrack_helpers",
    "nf_conntrack_max",
    "nf_conntrack_tcp_timeout_established",
    "nf_conntrack_tcp_timeout_syn_recv",
    "nftables",
    "nosmurfs",
    "protection_synflood",
    "protection_synflood_burst",
    "protection_synflood_rate",
    "smurf_log_level",
    "tcp_flags_log_level",
  ],
  vm: ["dhcp", "enable", "ipfilter", "log_level_in", "log_level_out", "macfilter", "ndp", "policy_in", "policy_out", "radv"],
  ct: ["dhcp", "enable", "ipfilter", "log_level_in", "log_level_out", "macfilter", "ndp", "policy_in", "policy_out", "radv"],
};

/** Options PVE's config parser reads back as numbers (booleans as 0/1, sizes and rates). */
const NUMERIC = new Set([
  "enable",
  "ebtables",
  "dhcp",
  "ipfilter",
  "macfilter",
  "ndp",
  "radv",
  "log_nf_conntrack",
  "nf_conntrack_allow_invalid",
  "nf_conntrack_max",
  "nf_conntrack_tcp_timeout_established",
  "nf_conntrack_tcp_timeout_syn_recv",
  "nftables",
  "nosmurfs",
  "protection_synflood",
  "protection_synflood_burst",
  "protection_synflood_rate",
]);

/** Integers as given, booleans (`true`, `yes`, …) as PVE's 0/1. */
function numeric(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : parsePveBoolean(value) ? 1 : 0;
}

function getOptions(req: ApiRequest, sim: SimContext): unknown {
  const { conf } = configFor(sim.state, req.template, req.params);
  return { ...conf.options, digest: objectDigest(conf.options) };
}

function setOptions(req: ApiRequest, sim: SimContext): null {
  const { env, conf } = configFor(sim.state, req.template, req.params);
  assertDigest(objectDigest(conf.options), req.args.digest);
  const known = OPTIONS[env];
  const options = { ...conf.options };
  for (const name of splitList(req.args.delete ?? "")) {
    if (!known.includes(name)) throw parameterError({ delete: `no such option '${name}'` });
    delete options[name];
  }
  for (const name of known) {
    const value = req.args[name];
    if (value === undefined) continue;
    options[name] = NUMERIC.has(name) ? numeric(value) : name.startsWith("policy_") ? value.toUpperCase() : value;
  }
  conf.options = options;
  return null;
}

/** `GET/PUT …/firewall/options` at cluster, node, VM and container level. */
export const firewallOptionRoutes: Route[] = FIREWALL_LEVELS.flatMap((base) => [
  route("GET", `${base}/options`, getOptions),
  route("PUT", `${base}/options`, setOptions),
]);
