import { countPlan, formatCounts } from "../deploy/plan-summary";
import { firewallDiffs } from "./firewall-diff";
import { actionOf, effectiveChanges, PlanJson } from "./plan-json";
import { vmRows } from "./vm-rows";

/** GitHub refuses comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A policy finding as the review shows it. */
export interface ReviewFinding {
  readonly ruleId: string;
  readonly severity: "error" | "warning" | "info";
  readonly message: string;
  readonly path: string;
}

/** Input of {@link renderReview}. */
export interface ReviewInput {
  readonly env: string;
  readonly plan: PlanJson;
  readonly findings?: readonly ReviewFinding[];
  /** Marker that lets the workflow find and update its own comment. @default "<!-- proxmox-cdk-review -->" */
  readonly marker?: string;
  /** Size limit of the Markdown. @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
}

const pathText = (p: readonly (string | number)[]) => p.map(String).join(".");

/** A section is a title and its lines; lines past the budget are dropped with a note. */
interface Section {
  readonly title: string;
  readonly lines: readonly string[];
  /** Lines kept even when truncating (table headers). */
  readonly head?: readonly string[];
}

function sections(input: ReviewInput): Section[] {
  const changes = effectiveChanges(input.plan);
  const out: Section[] = [];

  const dangerous = changes.filter((c) => ["delete", "replace"].includes(actionOf(c)));
  if (dangerous.length) {
    out.push({
      title: "⚠️ Destroy and replace",
      lines: dangerous.map((c) => {
        // Terraform lists the paths in its internal set-hash order; sorted, the review does not depend on it.
        const forced = (c.change.replace_paths ?? []).map(pathText).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return actionOf(c) === "replace"
          ? `- **replace** \`${c.address}\`${forced.length ? ` — forced by ${forced.map((f) => `\`${f}\``).join(", ")}` : ""}`
          : `- **destroy** \`${c.address}\``;
      }),
    });
  }

  const vms = vmRows(changes);
  if (vms.length) {
    out.push({
      title: "Virtual machines",
      head: ["| VM | action | node | vCPU | memory | disk | tags |", "|---|---|---|---|---|---|---|"],
      lines: vms.map((v) => `| ${v.name} | ${v.action} | ${v.node} | ${v.cores} | ${v.memory} | ${v.disk} | ${v.tags} |`),
    });
  }

  const fw = firewallDiffs(changes);
  if (fw.length) {
    out.push({
      title: "Firewall rules",
      lines: fw.flatMap((d) => [`- \`${d.address}\``, ...d.removed.map((r) => `  - ➖ ${r}`), ...d.added.map((r) => `  - ➕ ${r}`)]),
    });
  }

  const findings = [...(input.findings ?? [])].sort((a, b) => ["error", "warning", "info"].indexOf(a.severity) - ["error", "warning", "info"].indexOf(b.severity));
  if (findings.length) {
    out.push({
      title: "Policy findings",
      head: ["| rule | severity | where | finding |", "|---|---|---|---|"],
      lines: findings.map((f) => `| ${f.ruleId} | ${f.severity} | \`${f.path}\` | ${f.message.replace(/\|/g, "\\|")} |`),
    });
  }

  // Rule sets already shown rule by rule under "Firewall rules" are not listed again.
  const shownAsRules = new Set(fw.map((d) => d.address));
  const others = changes.filter(
    (c) => c.type !== "proxmox_virtual_environment_vm" && !["delete", "replace"].includes(actionOf(c)) && !shownAsRules.has(c.address),
  );
  if (others.length) {
    out.push({ title: "Other changes", lines: others.map((c) => `- ${actionOf(c)} \`${c.address}\``) });
  }
  return out;
}

/**
 * Markdown for a pull-request comment: counts, destroy/replace warnings with the attributes that
 * force replacement, a per-VM table, firewall rule diffs, policy findings and the rest — cut to
 * stay under GitHub's comment limit, saying how much was left out.
 */
export function renderReview(input: ReviewInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const counts = countPlan(input.plan as Record<string, unknown>);
  const errors = (input.findings ?? []).filter((f) => f.severity === "error").length;
  const header = [
    input.marker ?? "<!-- proxmox-cdk-review -->",
    `## proxmox-cdk plan review: \`${input.env}\``,
    "",
    `**${formatCounts(counts)}** add ${counts.add} · change ${counts.change} · destroy ${counts.destroy} · replace ${counts.replace}` +
      (errors ? ` · ❌ ${errors} policy error(s)` : ""),
    "",
  ].join("\n");
  const footerReserve = 200;
  let budget = limit - header.length - footerReserve;
  const parts: string[] = [header];
  let omitted = 0;
  for (const s of sections(input)) {
    const top = [`### ${s.title}`, "", ...(s.head ?? [])].join("\n") + "\n";
    if (top.length > budget) {
      omitted += s.lines.length;
      continue;
    }
    budget -= top.length;
    const kept: string[] = [];
    for (const line of s.lines) {
      if (line.length + 1 > budget) {
        omitted += s.lines.length - kept.length;
        break;
      }
      kept.push(line);
      budget -= line.length + 1;
    }
    parts.push(top + kept.join("\n") + "\n");
  }
  if (omitted) parts.push(`\n> ✂️ ${omitted} line(s) left out to stay under GitHub's ${limit}-character comment limit; run \`proxmox-cdk review ${input.env}\` locally for the full report.\n`);
  return parts.join("\n");
}
