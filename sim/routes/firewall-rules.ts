import { configFor, firewallSlice, type FwConfig, type FwRule, type RuleEnv } from "../firewall/firewall-store";
import { FIREWALL_LEVELS } from "../firewall/levels";
import { assertDigest, listDigest, withDigest } from "../firewall/digest";
import { copyRuleData, deleteRuleProperties, verifyRule } from "../firewall/rule";
import { PveError } from "../pve-error";
import { route, type ApiRequest, type Route } from "../route";
import type { SimContext } from "../context";

/** A rule list and how to write it back, for one of the places rules live. */
interface RuleSet {
  env: RuleEnv;
  rules: FwRule[];
  local?: FwConfig;
  save(rules: FwRule[]): void;
}

function ruleSet(req: ApiRequest, sim: SimContext): RuleSet {
  const slice = firewallSlice(sim.state);
  if (req.template.startsWith("/cluster/firewall/groups/")) {
    const group = req.params.group;
    const rules = slice.cluster.groups[group];
    if (!rules) throw new PveError(500, `no such security group '${group}'`);
    return { env: "group", rules, save: (list) => (slice.cluster.groups[group] = list) };
  }
  const { env, conf } = configFor(sim.state, req.template, req.params);
  return { env, rules: conf.rules, local: env === "cluster" ? undefined : conf, save: (list) => (conf.rules = list) };
}

/** The position argument, refused when no rule sits there (PVE: "no rule at position N"). */
function position(req: ApiRequest, rules: readonly FwRule[]): number {
  const pos = Number(req.params.pos);
  if (!(pos < rules.length)) throw new PveError(500, `no rule at position ${req.params.pos}`);
  return pos;
}

function listRules(req: ApiRequest, sim: SimContext): unknown {
  const { rules } = ruleSet(req, sim);
  return withDigest(rules).map((rule, pos) => ({ ...rule, pos }));
}

function getRule(req: ApiRequest, sim: SimContext): unknown {
  const { rules } = ruleSet(req, sim);
  const pos = position(req, rules);
  // PVE echoes the path parameter, which Perl's JSON encoder writes as a string; the provider
  // decodes this `pos` into a Go string and fails on a number.
  return { ...rules[pos], digest: listDigest(rules), pos: req.params.pos };
}

function createRule(req: ApiRequest, sim: SimContext): null {
  const set = ruleSet(req, sim);
  const rule: FwRule = {};
  copyRuleData(rule, req.args);
  verifyRule(rule, set.env, firewallSlice(sim.state).cluster, set.local);
  rule.enable ??= 0;
  // PVE always inserts at the top; the provider therefore creates its list backwards.
  set.save([rule, ...set.rules]);
  return null;
}

function updateRule(req: ApiRequest, sim: SimContext): null {
  const set = ruleSet(req, sim);
  assertDigest(listDigest(set.rules), req.args.digest);
  const pos = position(req, set.rules);
  const moveto = req.args.moveto === undefined ? undefined : Number(req.args.moveto);
  if (moveto !== undefined && moveto !== pos) {
    // PVE's moveto re-inserts before the rule that was at `moveto`, so moving down lands one
    // position higher than asked; reproduced as is.
    const moved: FwRule[] = [];
    set.rules.forEach((rule, i) => {
      if (i === pos) return;
      if (i === moveto) moved.push(set.rules[pos]);
      moved.push(rule);
    });
    if (moveto >= set.rules.length) moved.push(set.rules[pos]);
    set.save(moved);
    return null;
  }
  const rule = { ...set.rules[pos] };
  copyRuleData(rule, req.args);
  if (req.args.delete) deleteRuleProperties(rule, req.args.delete);
  verifyRule(rule, set.env, firewallSlice(sim.state).cluster, set.local);
  set.rules[pos] = rule;
  return null;
}

function deleteRule(req: ApiRequest, sim: SimContext): null {
  const set = ruleSet(req, sim);
  assertDigest(listDigest(set.rules), req.args.digest);
  const pos = position(req, set.rules);
  set.save(set.rules.filter((_, i) => i !== pos));
  return null;
}

/**
 * Firewall rules at cluster, node, VM and container level and inside security groups
 * (`/cluster/firewall/groups/{group}` lists and creates, `…/{group}/{pos}` edits).
 * Positions renumber on insert, move and delete exactly as in PVE.
 */
export const firewallRuleRoutes: Route[] = [
  ...FIREWALL_LEVELS.flatMap((base) => [
    route("GET", `${base}/rules`, listRules),
    route("POST", `${base}/rules`, createRule),
    route("GET", `${base}/rules/{pos}`, getRule),
    route("PUT", `${base}/rules/{pos}`, updateRule),
    route("DELETE", `${base}/rules/{pos}`, deleteRule),
  ]),
  route("GET", "/cluster/firewall/groups/{group}", listRules),
  route("POST", "/cluster/firewall/groups/{group}", createRule),
  route("GET", "/cluster/firewall/groups/{group}/{pos}", getRule),
  route("PUT", "/cluster/firewall/groups/{group}/{pos}", updateRule),
  route("DELETE", "/cluster/firewall/groups/{group}/{pos}", deleteRule),
];
