import { Annotations, App, Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { evaluate, PolicyOptions, resultOf } from "./check-policy";
import { Finding, PolicyResult, SuppressedFinding } from "./finding";
import { POLICY_ASPECT, takePreparedConfigs } from "./policy-resource";

/**
 * The hardening policy as a cdktf Aspect: `Aspects.of(stack).add(new PolicyPack())`. When the
 * stack synthesises it evaluates every rule once on the construct it was added to and annotates
 * each finding's construct: errors with `addError` (so `cdktf synth` fails and lists them all),
 * warnings with `addWarning`, infos and suppressed findings with `addInfo`.
 *
 * Add it to each stack, not to the App: cdktf only runs aspects found from a stack downwards.
 *
 * The pack resolves the stack's configuration to judge it, on top of the two resolutions cdktf
 * itself makes. A stack whose `prepareStack()` calls `prepareStackForPolicy` (as
 * EnvironmentStack does) spares it that: the pack reads what the preparation resolved.
 */
export class PolicyPack implements IAspect {
  /** Tells the policy's resolution that this aspect changes no resource. */
  readonly [POLICY_ASPECT] = true;
  private readonly evaluated = new WeakSet<IConstruct>();
  private result?: PolicyResult;

  constructor(private readonly options: PolicyOptions = {}) {}

  /**
   * Adds a pack to `scope`, or to every stack of it when it is an App (cdktf ignores aspects added
   * to the App itself). Call it once the stacks exist. Returns the packs added.
   */
  static addTo(scope: IConstruct, options: PolicyOptions = {}): PolicyPack[] {
    const targets = App.isApp(scope) ? scope.node.findAll().filter((c) => TerraformStack.isStack(c)) : [scope];
    return targets.map((target) => {
      const pack = new PolicyPack(options);
      Aspects.of(target).add(pack);
      return pack;
    });
  }

  /** The result of the last evaluation (undefined before synthesis). */
  get lastResult(): PolicyResult | undefined {
    return this.result;
  }

  visit(node: IConstruct): void {
    // What the stack's preparation kept is for this visit only: taken now, even when the pack has
    // already evaluated, so no later evaluation can read a configuration that has since changed.
    const stack = TerraformStack.isStack(node) ? node : TerraformStack.of(node);
    const prepared = takePreparedConfigs(stack);
    // The first node visited is the one the aspect was added to; its subtree is evaluated once,
    // even when synthesis invokes the aspects again (Testing.synth followed by a full synth).
    if (node.node.scopes.some((s) => this.evaluated.has(s))) return;
    this.evaluated.add(node);
    const located = evaluate(node, this.options, (s) => (s === stack ? prepared : undefined));
    this.result = resultOf(located, this.options);
    for (const { finding, construct, suppressed } of located) {
      const annotations = Annotations.of(construct);
      if (suppressed) annotations.addInfo(`${finding.ruleId} suppressed: ${(finding as SuppressedFinding).suppression.reason}`);
      else if (finding.severity === "error") annotations.addError(annotationText(finding));
      else if (finding.severity === "warning") annotations.addWarning(annotationText(finding));
      else annotations.addInfo(annotationText(finding));
    }
  }
}

/** `PVE-FW-001: <message> Fix: <remediation>` (cdktf prefixes the construct path). */
function annotationText(f: Finding): string {
  const where = f.source ? ` [${f.source.file}:${f.source.line}:${f.source.col}]` : "";
  return `${f.ruleId}: ${f.message}${where} Fix: ${f.remediation}`;
}
