import type { ResolvedEnvironment } from "../envspec";
import type { VmRow } from "../inventory/ansible-inventory";
import type { Finding } from "../policy/finding";
import { code, plain } from "../review/markdown-text";
import { firewallIntents } from "../stacks/firewall-intents";
import type { AuditEntry } from "./audit-entries";
import { serviceLabel } from "./flow-graph";
import { flowMermaid } from "./flow-mermaid";

/** Input of {@link environmentMarkdown}. */
export interface EnvironmentDocsInput {
  readonly env: ResolvedEnvironment;
  /** Guests of the last deploy (Terraform outputs); undefined when never deployed. */
  readonly vms?: readonly VmRow[];
  /** Policy findings that count (suppressed ones left out). */
  readonly findings: readonly Pick<Finding, "ruleId" | "severity" | "message" | "remediation">[];
  /** The newest audit entry of the environment. @default none */
  readonly lastRun?: AuditEntry;
}

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

/**
 * Markdown documentation of an environment for runbooks: tiers, guests, flows (a Mermaid diagram
 * from the same intent list as the firewall rules), exposures, backups and HA, policy status.
 * Every value from the spec or the state is made inert (code spans or escaped text).
 */
export function environmentMarkdown(input: EnvironmentDocsInput): string {
  const { env } = input;
  const out: string[] = [`# Environment ${plain(env.name)}`, ""];
  out.push(
    `- Stage: ${code(env.stage)}`,
    `- Nodes: ${env.nodes.map((n) => code(n)).join(", ")}`,
    `- Placement: ${code(env.placement)}`,
    `- Protection flag: ${env.protection ? "on" : "off"}`,
  );
  out.push(
    `- Network: ${env.network.kind === "sdn" ? `SDN zone ${code(env.network.zone)}, VNet ${code(env.network.vnet)} (VLAN ${env.network.vlan}, ${code(env.network.subnet)})` : `bridge ${code(env.network.name)}${env.network.vlan !== undefined ? ` VLAN ${env.network.vlan}` : ""}${env.network.subnet ? `, ${code(env.network.subnet)}` : ""}`}`,
  );
  if (input.lastRun)
    out.push(`- Last run: ${code(input.lastRun.action)} ${code(input.lastRun.result)} at ${code(input.lastRun.time)} by ${code(input.lastRun.user)}`);
  out.push("", "## Tiers", "", row(["Tier", "OS", "Count", "Cores", "Memory (MiB)", "Disk (GiB)", "Template", "IPv4", "Tags"]), row(Array(9).fill("---")));
  for (const t of Object.values(env.tiers)) {
    out.push(
      row([
        code(t.name, true),
        t.os,
        String(t.count),
        String(t.cores),
        String(t.memoryMiB),
        String(t.diskGiB),
        code(t.template, true),
        t.ipv4.mode === "dhcp" ? "dhcp" : code(t.ipv4.pool, true),
        t.tags.map((g) => code(g, true)).join(" "),
      ]),
    );
  }
  out.push("", "## Guests", "");
  if (!input.vms) out.push(`Not deployed yet (no state): run \`proxmox-cdk up ${env.name}\`.`);
  else {
    out.push(row(["Name", "Tier", "VM id", "Node", "IPv4"]), row(Array(5).fill("---")));
    for (const v of input.vms)
      out.push(row([code(v.name, true), code(v.tier, true), String(v.id), code(v.node, true), v.ipv4 ? code(v.ipv4, true) : "unknown"]));
  }
  out.push(
    "",
    "## Flows",
    "",
    "Every arrow is one firewall rule of the environment; exposures to outside networks are dashed and red.",
    "",
    "```mermaid",
    flowMermaid(env),
    "```",
    "",
  );
  const intents = firewallIntents(env);
  out.push(row(["From", "To", "Port", "Comment"]), row(Array(4).fill("---")));
  for (const i of intents)
    out.push(
      row([
        i.source.kind === "tier" ? `tier ${code(i.source.tier, true)}` : `network ${code(i.source.cidr, true)}`,
        code(i.tier, true),
        code(serviceLabel(i.service), true),
        plain(i.comment),
      ]),
    );
  out.push("", "## Exposures", "");
  const exposures = intents.filter((i) => i.source.kind === "cidr");
  if (exposures.length === 0) out.push("None: no tier is reachable from outside the environment.");
  for (const e of exposures)
    out.push(
      `- ${code(e.tier)} ${code(serviceLabel(e.service))} from ${code(e.source.kind === "cidr" ? e.source.cidr : "")}${e.source.kind === "cidr" && e.source.cidr === "0.0.0.0/0" ? " (the whole internet)" : ""}`,
    );
  out.push("", "## Backups and HA", "");
  if (env.backups.enabled) {
    const r = env.backups.retention;
    out.push(
      `- Backups: schedule ${code(env.backups.schedule)} to storage ${code(env.backups.storage)}, keep ${r.keepDaily} daily, ${r.keepWeekly} weekly, ${r.keepMonthly} monthly`,
    );
  } else out.push("- Backups: off");
  out.push(env.ha.enabled ? `- HA: on (max restart ${env.ha.maxRestart}, max relocate ${env.ha.maxRelocate})` : "- HA: off");
  for (const w of env.weakenedDefaults) out.push(`- Weakened stage default: ${code(w.path)} is ${String(w.value)} (stage default ${String(w.stageDefault)})`);
  out.push("", "## Policy", "");
  const counts = ["error", "warning", "info"].map((s) => `${input.findings.filter((f) => f.severity === s).length} ${s}(s)`);
  out.push(input.findings.length === 0 ? "Passes every rule of the policy pack." : `${counts.join(", ")}:`, "");
  for (const f of input.findings) out.push(`- ${code(f.ruleId)} [${f.severity}] ${plain(f.message)} Fix: ${plain(f.remediation)}`);
  return out.join("\n") + "\n";
}
