import { writeFileAtomic } from "../../io/atomic-write";
import { stringFlag } from "../args";
import { Command, ENV_ARGUMENT, envArgument, UsageError } from "../command";
import { ensureCliToolchain } from "../ensure-toolchain";
import { projectRoot, repositoryRoot } from "../project-root";

const FORMATS = ["markdown", "json", "sarif"] as const;

/** `proxmox-cdk check <env>`: the policy pack's findings as Markdown, JSON or SARIF. */
export const checkCommand: Command = {
  name: "check",
  summary: "run the policy pack on an environment (Markdown, JSON or SARIF; exit 2 on errors)",
  args: {
    ...ENV_ARGUMENT,
    options: {
      format: {
        type: "string",
        short: "f",
        valueName: "FORMAT",
        description:
          "markdown (a table per severity, default), json (counts and every finding) or sarif (SARIF 2.1.0 for code scanning: each finding at its YAML line, paths from the repository root)",
      },
      "as-of": {
        type: "string",
        valueName: "YYYY-MM-DD",
        description: "judge the environment as on that day (UTC): key ages and suppression expiry — e.g. next month, to rotate keys before they are too old",
      },
      out: { type: "string", short: "o", valueName: "FILE", description: "write the report to FILE (whole or not at all) instead of stdout" },
    },
  },
  description: `Builds environments/<env>.yaml in memory (no terraform, no target) and runs every hardening rule on
it. Each finding names the rule, the construct path, the spec line and the fix; suppressed findings
are listed apart with their reason; exit 2 on error-level findings. --as-of judges a later (or
earlier) day instead of today: which SSH keys will be older than cloudInit.maxKeyAgeDays, which
suppressions will have expired.

Example: proxmox-cdk check prod --format sarif --out policy-prod.sarif
         proxmox-cdk check prod --as-of 2027-06-30`,
  async run(args) {
    const env = envArgument(args, "check");
    const format = stringFlag(args, "format", "markdown");
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
      throw new UsageError(`--format ${JSON.stringify(format)} is not a report format: use one of ${FORMATS.join(", ")}.`);
    }
    const out = stringFlag(args, "out");
    const asOf = stringFlag(args, "as-of");
    const { isCalendarDate } = require("../../policy/suppress") as typeof import("../../policy/suppress");
    if (asOf !== undefined && !isCalendarDate(asOf)) {
      throw new UsageError(`--as-of ${JSON.stringify(asOf.slice(0, 40))} is not a date: write it as YYYY-MM-DD, e.g. 2027-06-30.`);
    }
    await ensureCliToolchain();
    const { environmentPolicy } = require("../../deploy/environment-policy") as typeof import("../../deploy/environment-policy");
    const { renderJsonReport } = require("../../policy/report-json") as typeof import("../../policy/report-json");
    const { renderMarkdownReport } = require("../../policy/report-markdown") as typeof import("../../policy/report-markdown");
    const { renderSarif } = require("../../policy/report-sarif") as typeof import("../../policy/report-sarif");
    const root = projectRoot();
    // Code scanning places a result by its path from the repository root; people read paths from the project.
    const base = format === "sarif" ? repositoryRoot(root) : root;
    const result = environmentPolicy(root, env, { relativeTo: base, ...(asOf === undefined ? {} : { now: new Date(`${asOf}T00:00:00Z`) }) });
    const report =
      format === "sarif"
        ? renderSarif(result, { baseDirectory: base })
        : format === "json"
          ? renderJsonReport(result)
          : renderMarkdownReport(result, `Policy report: ${env}`);
    if (out) writeFileAtomic(out, report);
    else process.stdout.write(report);
    const errors = result.findings.filter((f) => f.severity === "error").length;
    if (out) console.error(`${errors ? `${errors} error-level finding(s)` : "No error-level findings"}; report written to ${out}.`);
    return errors ? 2 : 0;
  },
};
