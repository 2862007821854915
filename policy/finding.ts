import { SourceLocation } from "./source-location";

/** How bad a finding is: errors fail `cdktf synth`, warnings and infos are reported. */
export type Severity = "error" | "warning" | "info";

/** Severities from worst to mildest (the order reports use). */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** One rule violated by one construct. Plain data: serialisable as JSON. */
export interface Finding {
  /** Rule id, e.g. `PVE-FW-001`. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** What is wrong with this construct, naming the offending value. */
  readonly message: string;
  /** The rule's fix, one sentence. */
  readonly remediation: string;
  /** Construct path, e.g. `prod/web-1/firewall/options`. */
  readonly path: string;
  /** Terraform address of the resource, when the finding is about one. */
  readonly resource?: string;
  /** Where the construct was declared (spec position), when known. */
  readonly source?: SourceLocation;
  /**
   * Set when the rule could not decide (the message starts with "could not evaluate"): the
   * attribute path it could not evaluate, or `rule` when the rule itself failed.
   */
  readonly couldNotEvaluate?: string;
}

/** Why a finding does not count: the suppression that covers it. */
export interface SuppressionInfo {
  readonly reason: string;
  /** Last day (UTC, YYYY-MM-DD) on which the suppression applies. */
  readonly expires?: string;
  /** Path of the construct the suppression was declared on. */
  readonly declaredAt: string;
}

/** A finding that a suppression covers: listed in reports, never failing synth. */
export interface SuppressedFinding extends Finding {
  readonly suppression: SuppressionInfo;
}

/** Everything one policy run produced. */
export interface PolicyResult {
  /** Findings that count, worst first. */
  readonly findings: readonly Finding[];
  /** Findings covered by a valid suppression. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Ids of the rules that were evaluated. */
  readonly ruleIds: readonly string[];
}

/** Human one-liner: `PVE-FW-001 [error] prod/web/vm: message Fix: remediation`. */
export function formatFinding(f: Finding): string {
  const where = f.source ? ` (${f.source.file}:${f.source.line}:${f.source.col})` : "";
  return `${f.ruleId} [${f.severity}] ${f.path}${where}: ${f.message} Fix: ${f.remediation}`;
}
