import type { SimState } from "../sim-state";
import { firewallSlice, type FwConfig, type FwRule, type RuleEnv } from "./firewall-store";
import { verifyRule } from "./rule";

/** A rule pve-firewall would skip when it compiles the ruleset, and why. */
export interface SkippedRule {
  /** When the simulator saw it (ms since the epoch). */
  readonly atMs: number;
  /** `cluster`, `group <name>`, `host <node>` or `guest <vmid>`, and the rule's position. */
  readonly where: string;
  /** pve-firewall's error, e.g. `source: no such ipset 'web'`. */
  readonly error: string;
}

const logs = new WeakMap<SimState, { skipped: SkippedRule[]; current: Set<string> }>();

/**
 * Rules that would not compile right now: pve-firewall's `parse_fw_rule` checks every rule with
 * `verify_rule(…, $noerr = 1)` (pve-firewall `src/PVE/Firewall.pm`) — a rule naming an IP set or
 * alias that does not exist gets `errors` (`no such ipset '<name>'`), is logged to syslog and
 * skipped by the rule generators (`next if … $rule->{errors}`); the rest compiles. Traffic that
 * rule accepted then meets later rules and the chain policy (inbound to a guest: DROP by default).
 */
export function rulesThatWouldBeSkipped(state: SimState): Array<{ where: string; error: string }> {
  const fw = firewallSlice(state);
  const out: Array<{ where: string; error: string }> = [];
  const check = (where: string, rules: readonly FwRule[], env: RuleEnv, local: FwConfig | undefined): void => {
    rules.forEach((rule, pos) => {
      if (Number(rule.enable ?? 1) === 0) return;
      try {
        verifyRule({ ...rule }, env, fw.cluster, local);
      } catch (e) {
        const data = (e as { errors?: Record<string, string> }).errors;
        const error = data
          ? Object.entries(data)
              .map(([k, v]) => `${k}: ${v}`)
              .join("; ")
          : (e as Error).message;
        out.push({ where: `${where} rule ${pos}`, error });
      }
    });
  };
  // IP set entries naming an alias that does not exist are skipped the same way (`next if $entry->{errors}`).
  const entries = (where: string, conf: FwConfig): void => {
    for (const [name, list] of Object.entries(conf.ipsets)) {
      for (const e of list) {
        const alias = /^(dc\/|guest\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(e.cidr);
        if (alias && !fw.cluster.aliases[alias[2].toLowerCase()] && !(conf !== fw.cluster && conf.aliases[alias[2].toLowerCase()])) {
          out.push({ where: `${where} ipset ${name} entry ${e.cidr}`, error: `no such alias '${e.cidr}'` });
        }
      }
    }
  };
  entries("cluster", fw.cluster);
  for (const [vmid, conf] of Object.entries(fw.guests)) entries(`guest ${vmid}`, conf);
  check("cluster", fw.cluster.rules, "cluster", undefined);
  for (const [name, rules] of Object.entries(fw.cluster.groups)) check(`group ${name}`, rules, "group", undefined);
  for (const [node, conf] of Object.entries(fw.hosts)) check(`host ${node}`, conf.rules, "host", conf);
  for (const [vmid, conf] of Object.entries(fw.guests)) check(`guest ${vmid}`, conf.rules, "vm", conf);
  return out;
}

/**
 * Checks the ruleset after a change and records each rule that starts to be skipped. pve-firewall
 * recompiles every 10 s; the simulator checks after every change, so it reports any window in
 * which a rule names a missing object, however short (a window a real node may or may not hit).
 */
export function recordFirewallCompile(state: SimState, nowMs: number = Date.now()): void {
  let log = logs.get(state);
  if (!log) {
    log = { skipped: [], current: new Set() };
    logs.set(state, log);
  }
  const now = rulesThatWouldBeSkipped(state);
  const keys = new Set(now.map((r) => `${r.where}|${r.error}`));
  for (const r of now) if (!log.current.has(`${r.where}|${r.error}`)) log.skipped.push({ atMs: nowMs, ...r });
  log.current = keys;
}

/** Every rule the simulator saw become uncompilable since it started (see {@link recordFirewallCompile}). */
export function skippedFirewallRules(state: SimState): readonly SkippedRule[] {
  return logs.get(state)?.skipped ?? [];
}
