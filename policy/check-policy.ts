import { App, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { PolicyContext, PolicyContextOptions, unevaluatedViolation } from "./context";
import { Finding, PolicyResult, SEVERITIES, Severity, SuppressedFinding } from "./finding";
import { PreparedConfigs } from "./policy-resource";
import { PolicyRule, Violation } from "./rule";
import { ALL_RULES } from "./rules";
import { isSecurityRelevant } from "./security-relevant";
import { sourceLocationOf } from "./source-location";
import { coveringSuppression } from "./suppression-store";
import { UnevaluableError } from "./unevaluable";

/** Options of {@link checkPolicy} and {@link PolicyPack}. */
export interface PolicyOptions extends PolicyContextOptions {
  /**
   * Rules to evaluate.
   * @default ALL_RULES (every built-in rule)
   */
  readonly rules?: readonly PolicyRule[];
}

/** A finding together with the construct it is about (for annotations). */
export interface LocatedFinding {
  readonly finding: Finding | SuppressedFinding;
  readonly construct: IConstruct;
  readonly suppressed: boolean;
}

/**
 * Evaluates the rules on `scope` (an App, a stack, or any construct) without synthesising. Each
 * stack is one context: cross-resource rules (backups, HA, cluster firewall) see the whole stack,
 * but only findings on constructs inside `scope` are returned.
 */
export function runPolicy(scope: IConstruct, options: PolicyOptions = {}): PolicyResult {
  return resultOf(evaluate(scope, options), options);
}

/** Splits located findings into a {@link PolicyResult}. */
export function resultOf(located: readonly LocatedFinding[], options: PolicyOptions = {}): PolicyResult {
  return {
    findings: located.filter((l) => !l.suppressed).map((l) => l.finding),
    suppressed: located.filter((l) => l.suppressed).map((l) => l.finding as SuppressedFinding),
    ruleIds: (options.rules ?? ALL_RULES).map((r) => r.id),
  };
}

/** The findings that count (suppressed ones left out), worst first. What the CLI and AI helper call. */
export function checkPolicy(scope: IConstruct, options: PolicyOptions = {}): Finding[] {
  return [...runPolicy(scope, options).findings];
}

/**
 * {@link runPolicy} with the construct of each finding; used by the Aspect to annotate, which
 * passes `prepared` so each stack's prepared configurations are read instead of resolved again.
 */
export function evaluate(scope: IConstruct, options: PolicyOptions = {}, prepared?: (stack: TerraformStack) => PreparedConfigs | undefined): LocatedFinding[] {
  const rules = options.rules ?? ALL_RULES;
  const stacks = stacksOf(scope);
  const located: LocatedFinding[] = [];
  for (const stack of stacks) {
    const ctx = new PolicyContext(stack, options, prepared?.(stack));
    for (const rule of rules) {
      for (const v of checkFailClosed(rule, ctx, scope)) {
        if (v.subject !== scope && !v.subject.node.scopes.includes(scope)) continue;
        const base: Finding = {
          ruleId: rule.id,
          severity: severityOf(rule, v),
          message: v.message,
          remediation: rule.remediation,
          path: v.subject.node.path,
          ...(v.subject instanceof TerraformResource ? { resource: ctx.resourceOf(v.subject)?.address } : {}),
          ...withSource(v.subject),
          ...(v.unevaluated ? { couldNotEvaluate: v.unevaluated.attribute } : {}),
        };
        const s = coveringSuppression(v.subject, rule.id, ctx.now);
        const finding: Finding | SuppressedFinding = s
          ? { ...base, suppression: { reason: s.reason, ...(s.expires ? { expires: s.expires } : {}), declaredAt: s.declaredOn.node.path } }
          : base;
        located.push({ finding, construct: v.subject, suppressed: !!s });
      }
    }
  }
  return located.sort((a, b) => compare(a.finding, b.finding));
}

/**
 * The rule's violations; a rule that cannot decide is a finding, never silence (as cdk-nag turns a
 * throwing rule into a violation). A value it could not evaluate that escaped `context.each` is
 * reported on the value's owner; any other error on the stack (or on `scope` when the pack
 * judges only part of the stack), as "could not evaluate".
 */
function checkFailClosed(rule: PolicyRule, ctx: PolicyContext, scope: IConstruct): readonly Violation[] {
  try {
    return rule.check(ctx);
  } catch (e) {
    if (e instanceof UnevaluableError) return [unevaluatedViolation(e, ctx.stack)];
    const subject = ctx.stack === scope || ctx.stack.node.scopes.includes(scope) ? ctx.stack : scope;
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return [
      {
        subject,
        message: `could not evaluate rule ${rule.id}: it failed with "${why}", so it checked nothing in this stack.`,
        unevaluated: { attribute: "rule" },
      },
    ];
  }
}

/**
 * A decided violation has the rule's severity; so does a value the rule could not evaluate,
 * except a security-relevant one (security-relevant.ts), which is always an error.
 */
function severityOf(rule: PolicyRule, v: Violation): Severity {
  return v.unevaluated && isSecurityRelevant(v.unevaluated.ownerType, v.unevaluated.attribute) ? "error" : rule.severity;
}

function withSource(c: IConstruct): { source?: Finding["source"] } {
  const source = sourceLocationOf(c);
  return source ? { source } : {};
}

function stacksOf(scope: IConstruct): TerraformStack[] {
  if (TerraformStack.isStack(scope)) return [scope];
  if (App.isApp(scope)) return scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  if (!scope.node.scopes.some((s) => TerraformStack.isStack(s))) {
    throw new Error(`checkPolicy: "${scope.node.path}" is not inside a TerraformStack — pass the App, a stack, or a construct inside a stack.`);
  }
  return [TerraformStack.of(scope)];
}

function compare(a: Finding, b: Finding): number {
  const bySeverity = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  if (bySeverity !== 0) return bySeverity;
  return a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}
