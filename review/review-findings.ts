import { environmentPolicy } from "../deploy/environment-policy";
import { ReviewFinding } from "./review-markdown";

/**
 * The policy findings of one environment that count (suppressed ones left out), for the review,
 * with spec positions relative to the project root. Nothing is written to the project.
 */
export function policyFindingsFor(root: string, env: string): ReviewFinding[] {
  return environmentPolicy(root, env, { relativeTo: root }).findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    remediation: f.remediation,
    path: f.path,
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.source ? { source: f.source } : {}),
  }));
}
