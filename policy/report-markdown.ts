import { Finding, PolicyResult } from "./finding";
import { toJsonReport } from "./report-json";

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** Text for a Markdown table cell: backslashes, pipes and line breaks escaped. */
export const markdownCell = cell;

function where(f: Finding): string {
  const source = f.source ? ` (${f.source.file}:${f.source.line}:${f.source.col})` : "";
  return `\`${f.path}\`${source}`;
}

/** The Markdown report of a policy run: a summary, the findings worst first, then the suppressed ones. */
export function renderMarkdownReport(result: PolicyResult, title = "Policy report"): string {
  const { summary } = toJsonReport(result);
  const lines = [
    `# ${title}`,
    "",
    `**${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.infos} info(s), ${summary.suppressed} suppressed** — ${result.ruleIds.length} rules evaluated.`,
    "",
  ];
  if (result.findings.length === 0) {
    lines.push("No findings.", "");
  } else {
    lines.push("## Findings", "", "| Severity | Rule | Where | Finding | Fix |", "| --- | --- | --- | --- | --- |");
    for (const f of result.findings) {
      lines.push(`| ${f.severity} | ${f.ruleId} | ${cell(where(f))} | ${cell(f.message)} | ${cell(f.remediation)} |`);
    }
    lines.push("");
  }
  if (result.suppressed.length > 0) {
    lines.push("## Suppressed", "", "| Rule | Where | Finding | Reason | Expires | Declared on |", "| --- | --- | --- | --- | --- | --- |");
    for (const f of result.suppressed) {
      const s = f.suppression;
      lines.push(`| ${f.ruleId} | ${cell(where(f))} | ${cell(f.message)} | ${cell(s.reason)} | ${s.expires ?? "never"} | \`${cell(s.declaredAt)}\` |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
