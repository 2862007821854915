import type { Finding } from "../policy/finding";
import { changedAttributes, formatAttributeChange } from "../terraform/attribute-changes";
import { countPlan, destroys, formatCounts, pathText, resourceLabel, TerraformPlan } from "../terraform/terraform-plan";
import { firewallDiffs } from "./firewall-diff";
import { code, plain } from "./markdown-text";
import { isGuestChange, shownInVmTable, vmRows } from "./vm-rows";

/** GitHub refuses comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A policy finding as the review shows it: what, where (construct path, spec position) and the fix. */
export type ReviewFinding = Pick<Finding, "ruleId" | "severity" | "message" | "remediation" | "path" | "resource" | "source">;

/** Input of {@link renderReview}. */
export interface ReviewInput {
  readonly env: string;
  /** The plan, read with construct paths (see readPlan) so resources are named as the code names them. */
  readonly plan: TerraformPlan;
  /** The policy findings of the environment as planned; none is reported as "Policy: no findings". */
  readonly findings: readonly ReviewFinding[];
  /**
   * The policy line when there are no findings (a cdktf app is checked only if it adds a PolicyPack).
   * @default "Policy: no findings."
   */
  readonly noFindingsLine?: string;
  /** Marker that lets the workflow find and update its own comment. @default "<!-- proxmox-cdk-review -->" */
  readonly marker?: string;
  /** Size limit of the Markdown. @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
}

/** A section is a title and its entries (an entry may span lines); entries past the budget are dropped with a note. */
interface Section {
  readonly title: string;
  readonly entries: readonly string[];
  /** Lines kept even when truncating (table headers). */
  readonly head?: readonly string[];
}

const SEVERITY_ORDER = ["error", "warning", "info"];

function sections(input: ReviewInput): Section[] {
  const changes = input.plan.changes;
  const out: Section[] = [];

  const dangerous = destroys(input.plan);
  if (dangerous.length) {
    out.push({
      title: "⚠️ Destroy and replace",
      entries: dangerous.map((c) => {
        const forced = c.replacePaths.map((p) => code(pathText(p)));
        return c.action === "replace"
          ? `- **replace** ${code(resourceLabel(c))}${forced.length ? ` — forced by ${forced.join(", ")}` : ""}`
          : `- **destroy** ${code(resourceLabel(c))}`;
      }),
    });
  }

  const vms = vmRows(changes);
  if (vms.length) {
    out.push({
      title: "Virtual machines",
      head: ["| VM | construct | action | node | vCPU | memory | disk | tags |", "|---|---|---|---|---|---|---|---|"],
      entries: vms.map((v) => `| ${plain(v.name)} | ${code(v.label, true)} | ${v.action} | ${v.node} | ${v.cores} | ${v.memory} | ${v.disk} | ${v.tags} |`),
    });
  }
  const cts = vmRows(changes, "container");
  if (cts.length) {
    out.push({
      title: "Containers",
      head: ["| container | construct | action | node | cores | memory | root disk | tags |", "|---|---|---|---|---|---|---|---|"],
      entries: cts.map((v) => `| ${plain(v.name)} | ${code(v.label, true)} | ${v.action} | ${v.node} | ${v.cores} | ${v.memory} | ${v.disk} | ${v.tags} |`),
    });
  }

  const fw = firewallDiffs(changes);
  if (fw.length) {
    out.push({
      title: "Firewall rules",
      entries: fw.map((d) => [`- ${code(d.label)}`, ...d.removed.map((r) => `  - ➖ ${plain(r)}`), ...d.added.map((r) => `  - ➕ ${plain(r)}`)].join("\n")),
    });
  }

  const findings = [...input.findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  if (findings.length) {
    out.push({
      title: "Policy findings",
      head: ["| rule | severity | where | finding | fix |", "|---|---|---|---|---|"],
      entries: findings.map((f) => {
        const at = f.source ? ` (${plain(`${f.source.file}:${f.source.line}:${f.source.col}`)})` : "";
        // A message naming the resource by its Terraform address names it by construct path here, as every section does.
        const message = f.resource ? f.message.split(f.resource).join(f.path) : f.message;
        return `| ${plain(f.ruleId)} | ${f.severity} | ${code(f.path, true)}${at} | ${plain(message)} | ${plain(f.remediation)} |`;
      }),
    });
  }

  // What a section above already shows is not listed again: warned resources, rule sets shown rule
  // by rule, created VMs, and the VM attributes of the table (a VM update lists only the rest, such
  // as protection or a NIC's firewall flag).
  const shownAsRules = new Set(fw.map((d) => d.address));
  const warned = new Set(dangerous);
  const others = changes
    .filter((c) => !warned.has(c) && !shownAsRules.has(c.address))
    .map((c) => {
      const isVm = isGuestChange(c);
      const attributes = c.action === "update" ? changedAttributes(c).filter((a) => !isVm || !shownInVmTable(a.path)) : [];
      return { c, attributes, skip: isVm && attributes.length === 0 };
    })
    .filter((o) => !o.skip);
  if (others.length) {
    out.push({
      title: "Other changes",
      entries: others.map(({ c, attributes }) =>
        [`- ${c.action} ${code(resourceLabel(c))}`, ...attributes.map((a) => `  - ${code(formatAttributeChange(a))}`)].join("\n"),
      ),
    });
  }
  return out;
}

/** `Policy: no findings.` or the counts per severity. */
function policyLine(findings: readonly ReviewFinding[], none = "Policy: no findings."): string {
  if (findings.length === 0) return none;
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  const mark = n("error") ? "❌ " : n("warning") ? "⚠️ " : "";
  return `Policy: ${mark}${n("error")} error(s), ${n("warning")} warning(s), ${n("info")} info(s) — see "Policy findings".`;
}

/**
 * Markdown for a pull-request comment: counts, the policy verdict, destroy/replace warnings with the
 * attributes that force replacement, a per-VM table, firewall rule diffs, policy findings with their
 * fix and the attribute changes of everything else — resources named by construct path — cut to
 * stay under GitHub's comment limit, saying how much was left out. Ends with a newline.
 */
export function renderReview(input: ReviewInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const counts = countPlan(input.plan);
  const header = [
    input.marker ?? "<!-- proxmox-cdk-review -->",
    `## proxmox-cdk plan review: ${code(input.env)}`,
    "",
    `**${formatCounts(counts)}** add ${counts.add} · change ${counts.change} · destroy ${counts.destroy} · replace ${counts.replace}`,
    "",
    policyLine(input.findings, input.noFindingsLine),
    "",
  ].join("\n");
  const footerReserve = 200;
  let budget = limit - header.length - footerReserve;
  const parts: string[] = [header];
  let omitted = 0;
  for (const s of sections(input)) {
    const top = [`### ${s.title}`, "", ...(s.head ?? [])].join("\n") + "\n";
    if (top.length > budget) {
      omitted += s.entries.length;
      continue;
    }
    budget -= top.length;
    const kept: string[] = [];
    for (const entry of s.entries) {
      if (entry.length + 1 > budget) {
        omitted += s.entries.length - kept.length;
        break;
      }
      kept.push(entry);
      budget -= entry.length + 1;
    }
    parts.push(top + kept.join("\n") + "\n");
  }
  if (omitted)
    parts.push(
      `> ✂️ ${omitted} entr${omitted === 1 ? "y" : "ies"} left out to stay under GitHub's ${limit}-character comment limit; run \`proxmox-cdk review ${input.env}\` locally for the full report.\n`,
    );
  return parts.join("\n");
}
