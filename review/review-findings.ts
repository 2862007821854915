import type { ManifestAnnotation } from "../deploy/app-manifest";
import { environmentPolicy } from "../deploy/environment-policy";
import { findingFromAnnotation } from "../policy/pack";
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

const SEVERITY_OF_LEVEL: Readonly<Record<string, ReviewFinding["severity"]>> = { "@cdktf/error": "error", "@cdktf/warn": "warning", "@cdktf/info": "info" };

/**
 * The policy findings of a cdktf app's stack: what its PolicyPack annotated, read from the
 * manifest. An app without a PolicyPack has none.
 */
export function appPolicyFindings(annotations: readonly ManifestAnnotation[]): ReviewFinding[] {
  return annotations.flatMap((a) => {
    const finding = findingFromAnnotation(a.message);
    const severity = SEVERITY_OF_LEVEL[a.level];
    return finding && severity ? [{ ...finding, severity, path: a.constructPath }] : [];
  });
}
