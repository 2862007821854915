import { scalarText } from "../terraform/scalar-text";
import { resourceLabel, ResourceChange } from "../terraform/terraform-plan";

const RULE_TYPES = new Set(["proxmox_virtual_environment_firewall_rules", "proxmox_virtual_environment_cluster_firewall_security_group"]);

type Rule = Record<string, unknown>;

/** A rule in one line: `in ACCEPT tcp/5432 from +prod-app`. */
export function ruleText(r: Rule): string {
  if (r.security_group) return `group ${scalarText(r.security_group)}`;
  const proto = r.macro ? `macro ${scalarText(r.macro)}` : `${scalarText(r.proto ?? "any")}${r.dport ? `/${scalarText(r.dport)}` : ""}`;
  const peer = r.type === "out" ? `to ${scalarText(r.dest ?? "any")}` : `from ${scalarText(r.source ?? "any")}`;
  return `${scalarText(r.type ?? "?")} ${scalarText(r.action ?? "?")} ${proto} ${peer}${r.enabled === false ? " (disabled)" : ""}`;
}

function rules(v: Readonly<Record<string, unknown>> | null): string[] {
  const list = (v?.rule as Rule[] | undefined) ?? [];
  return list.map(ruleText);
}

/** Added and removed rules of one rule-set change. */
export interface RuleDiff {
  readonly address: string;
  /** Construct path, else the Terraform address. */
  readonly label: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Rule differences for every changed firewall rule set or security group. */
export function firewallDiffs(changes: readonly ResourceChange[]): RuleDiff[] {
  return changes
    .filter((c) => RULE_TYPES.has(c.type))
    .map((c) => {
      const before = rules(c.before);
      const after = rules(c.after);
      return {
        address: c.address,
        label: resourceLabel(c),
        added: after.filter((r) => !before.includes(r)),
        removed: before.filter((r) => !after.includes(r)),
      };
    })
    .filter((d) => d.added.length || d.removed.length);
}
