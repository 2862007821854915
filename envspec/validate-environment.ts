import { crossCheckEnvironment } from "./cross-checks";
import { EnvironmentShape, EnvironmentSpec } from "./environment-schema";
import { forbiddenKeyIssues } from "./forbidden-keys";
import { specErrorMap, toSpecIssues } from "./issue-format";
import { formatPath, SpecIssue } from "./spec-issue";

/**
 * The environment spec schema with its cross-field rules attached, for callers that want one zod
 * schema. The rules run only when the structure parsed; {@link validateEnvironment} runs both
 * always and words the messages, so prefer it for reporting.
 */
export const EnvironmentSpecSchema = EnvironmentShape.superRefine((spec, ctx) => {
  for (const issue of crossCheckEnvironment(spec)) {
    ctx.addIssue({ code: "custom", path: [...issue.path], message: issue.message, input: undefined });
  }
});

/** Outcome of {@link validateEnvironment}. */
export type EnvironmentValidation =
  { readonly success: true; readonly spec: EnvironmentSpec } | { readonly success: false; readonly issues: readonly SpecIssue[] };

/**
 * Validates parsed spec data (from YAML, or JSON from the AI helper): structure, limits and
 * cross-field rules, all problems at once. A field gets one problem: when the schema already
 * rejects a field (or its parent), cross-field rules about it are dropped as noise.
 */
export function validateEnvironment(data: unknown): EnvironmentValidation {
  // Checked first: zod's records drop a `__proto__` key silently instead of reporting it.
  const forbidden = forbiddenKeyIssues(data);
  if (forbidden.length > 0) return { success: false, issues: forbidden };
  const parsed = EnvironmentShape.safeParse(data, { reportInput: true, error: specErrorMap });
  const structural = parsed.success ? [] : toSpecIssues(parsed.error.issues, EnvironmentShape);
  const flagged = structural.map((issue) => issue.path);
  const isUnder = (path: SpecIssue["path"], prefix: SpecIssue["path"]) => prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
  const cross = crossCheckEnvironment(data).filter((issue) => !flagged.some((prefix) => isUnder(issue.path, prefix)));
  const seen = new Set<string>();
  const issues = [...structural, ...cross].filter((issue) => {
    const key = `${formatPath(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (parsed.success && issues.length === 0) return { success: true, spec: parsed.data };
  return { success: false, issues };
}
