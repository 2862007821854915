import { Finding, PolicyResult, SuppressedFinding } from "./finding";

/** The JSON report: a summary and every finding, suppressed ones apart. */
export interface JsonReport {
  readonly tool: { readonly name: "proxmox-cdk policy"; readonly version?: string };
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number; readonly suppressed: number };
  /** Ids of the rules evaluated. */
  readonly rules: readonly string[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

/** Options of the report writers. */
export interface ReportOptions {
  /** Version of proxmox-cdk to record in the report. @default omitted */
  readonly toolVersion?: string;
}

/** Builds the JSON report of a policy run. */
export function toJsonReport(result: PolicyResult, options: ReportOptions = {}): JsonReport {
  const count = (s: Finding["severity"]) => result.findings.filter((f) => f.severity === s).length;
  return {
    tool: { name: "proxmox-cdk policy", ...(options.toolVersion ? { version: options.toolVersion } : {}) },
    summary: { errors: count("error"), warnings: count("warning"), infos: count("info"), suppressed: result.suppressed.length },
    rules: result.ruleIds,
    findings: result.findings,
    suppressed: result.suppressed,
  };
}

/** The JSON report as text (2-space indented, trailing newline). */
export function renderJsonReport(result: PolicyResult, options: ReportOptions = {}): string {
  return `${JSON.stringify(toJsonReport(result, options), null, 2)}\n`;
}
