import type { Finding } from "../policy";
import { formatFinding } from "../policy";
import { EnvironmentSpec, formatPath, resolveDefaults, ResolvedEnvironment, SpecIssue, validateEnvironment } from "../envspec";
import { forbiddenDraftFields } from "./draft-schema";
import { blockingFindings, PolicyGate } from "./policy-gate";
import { pinSiteFacts, SiteFacts, siteFactProblems } from "./site-facts";

/** The step of the pipeline that rejected a candidate. */
export type RejectionStage = "json" | "schema" | "site" | "policy";

/** Outcome of {@link checkCandidate}. */
export type CandidateVerdict =
  | {
      readonly ok: true;
      readonly spec: EnvironmentSpec;
      readonly env: ResolvedEnvironment;
      /** Findings below error level: shown, not blocking. */
      readonly findings: readonly Finding[];
      /** Site values that replaced the model's (see pinSiteFacts). */
      readonly replaced: readonly string[];
    }
  | {
      readonly ok: false;
      readonly stage: RejectionStage;
      /** One line per problem, exactly as fed back to the model. */
      readonly problems: readonly string[];
      /** Every policy finding, when the policy pack rejected it. */
      readonly findings: readonly Finding[];
    };

/** What {@link checkCandidate} needs besides the model's text. */
export interface CandidateContext {
  readonly facts: SiteFacts;
  readonly policyGate: PolicyGate;
  /** Environment name to force. @default the model's */
  readonly name?: string;
}

/**
 * Parses a model's reply as JSON. Structured outputs return bare JSON, so nothing is stripped or
 * guessed: a reply that is not exactly one JSON object is a problem for the model to fix.
 */
export function parseModelJson(content: string): { ok: true; data: Record<string, unknown> } | { ok: false; problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (e) {
    const excerpt = content.length > 80 ? `${content.slice(0, 80)}…` : content;
    return {
      ok: false,
      problem: `the answer is not valid JSON (${(e as Error).message}); it began with ${JSON.stringify(excerpt)}. Answer with one JSON object only.`,
    };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, problem: `the answer must be one JSON object (the environment spec), got ${Array.isArray(data) ? "an array" : JSON.stringify(data)}.` };
  }
  return { ok: true, data: data as Record<string, unknown> };
}

/** `tiers.web.cores: expected an integer between 1 and 128, got "lots"`. */
export function formatIssue(issue: SpecIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/**
 * Runs one model reply through the gates in order — JSON, site facts forced in, schema and
 * cross-field validation, site checks, the policy pack on the stack built from the spec — and
 * stops at the first gate that rejects it.
 */
export function checkCandidate(content: string, ctx: CandidateContext): CandidateVerdict {
  const parsed = parseModelJson(content);
  if (!parsed.ok) return { ok: false, stage: "json", problems: [parsed.problem], findings: [] };
  const forbidden = forbiddenDraftFields(parsed.data);
  if (forbidden.length > 0) return { ok: false, stage: "schema", problems: forbidden, findings: [] };
  const pinned = pinSiteFacts(parsed.data, ctx.facts, ctx.name);
  const validation = validateEnvironment(pinned.data);
  if (!validation.success) return { ok: false, stage: "schema", problems: validation.issues.map(formatIssue), findings: [] };
  const siteIssues = siteFactProblems(validation.spec, ctx.facts);
  if (siteIssues.length > 0) return { ok: false, stage: "site", problems: siteIssues.map(formatIssue), findings: [] };
  const env = resolveDefaults(validation.spec);
  let findings: readonly Finding[];
  try {
    findings = ctx.policyGate(env);
  } catch (e) {
    // A construct refusing the spec (a rule the schema cannot express) is a problem like any other.
    return { ok: false, stage: "policy", problems: [`the environment cannot be built: ${(e as Error).message}`], findings: [] };
  }
  const blocking = blockingFindings(findings);
  if (blocking.length > 0) return { ok: false, stage: "policy", problems: blocking.map(formatFinding), findings };
  return { ok: true, spec: validation.spec, env, findings, replaced: pinned.replaced };
}
