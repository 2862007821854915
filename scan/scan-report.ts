import { markdownCell as cell, renderMarkdownReport } from "../policy/report-markdown";
import { toJsonReport } from "../policy/report-json";
import { toSarif } from "../policy/report-sarif";
import { PolicyRule } from "../policy/rule";
import { ALL_RULES } from "../policy/rules";
import { ScanResult, ScannedGuest } from "./scan-snapshot";

/** Report formats of `proxmox-cdk scan`. */
export const SCAN_FORMATS = ["markdown", "json", "sarif"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** Options of {@link renderScanReport}. */
export interface ScanReportOptions {
  /** What was scanned, for the title (never holds a secret), e.g. `Proxmox VE at https://pve:8006/`. */
  readonly target: string;
  /**
   * Rules the scan was given (the SARIF writer describes those evaluated).
   * @default ALL_RULES
   */
  readonly rules?: readonly PolicyRule[];
}

/** What the reports add to the policy's: the guests and the rules not applied. */
function scanSection(result: ScanResult, target: string) {
  return {
    target,
    guests: result.guests.map((g) => ({
      type: g.type,
      node: g.node,
      vmid: g.vmid,
      ...(g.name ? { name: g.name } : {}),
      path: g.path,
      managed: g.managed,
      ...(g.managedBy ? { managedBy: g.managedBy } : {}),
      ruleIds: g.ruleIds,
    })),
    rulesNotApplied: result.notApplied,
  };
}

/**
 * The scan report: the policy report writers' output (the same Markdown table, JSON findings and
 * SARIF results as `check`) plus the guests, each marked managed or unmanaged, and the rules
 * skipped because they judge only Terraform. JSON puts them under `scan`, SARIF in the run's
 * property bag.
 */
export function renderScanReport(result: ScanResult, format: ScanFormat, options: ScanReportOptions): string {
  if (format === "json") return `${JSON.stringify({ ...toJsonReport(result.policy), scan: scanSection(result, options.target) }, null, 2)}\n`;
  if (format === "sarif") {
    const log = toSarif(result.policy, { rules: options.rules ?? ALL_RULES });
    const runs = log.runs.map((run) => ({ ...run, properties: { scan: scanSection(result, options.target) } }));
    return `${JSON.stringify({ ...log, runs }, null, 2)}\n`;
  }
  return [renderMarkdownReport(result.policy, `Scan report: ${options.target}`), ...guestsMarkdown(result.guests), ...notAppliedMarkdown(result)].join("\n");
}

function guestsMarkdown(guests: readonly ScannedGuest[]): string[] {
  if (guests.length === 0) return ["## Guests", "", "No VMs or containers.", ""];
  const managed = guests.filter((g) => g.managed).length;
  return [
    "## Guests",
    "",
    `${guests.length} guest(s): ${managed} managed by proxmox-cdk, ${guests.length - managed} unmanaged.`,
    "",
    "| Node | Id | Type | Name | Managed | Rules broken |",
    "| --- | --- | --- | --- | --- | --- |",
    ...guests.map((g) => {
      const how = g.managedBy ? ("state" in g.managedBy ? `yes (state: ${g.managedBy.state})` : `yes (tag ${g.managedBy.tag})`) : "no";
      return `| ${cell(g.node)} | ${g.vmid} | ${g.type === "qemu" ? "VM" : "container"} | ${cell(g.name ?? "")} | ${how} | ${g.ruleIds.join(", ") || "—"} |`;
    }),
    "",
  ];
}

function notAppliedMarkdown(result: ScanResult): string[] {
  if (result.notApplied.length === 0) return [];
  return ["## Rules not applied to live configuration", "", ...result.notApplied.map((n) => `- ${n.ruleId}: ${n.reason}`), ""];
}
