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
  /** The construct the pack was added to: the first node cdktf visits with it. */
  private root?: IConstruct;
  /** The annotations this pack added at its last evaluation, removed before the next one. */
  private added: { readonly construct: IConstruct; readonly entry: object }[] = [];
  private result?: PolicyResult;

  constructor(private readonly options: PolicyOptions = {}) {}

  /**
   * Adds a pack to `scope`, or to every stack of it when it is an App (cdktf ignores aspects added
   * to the App itself). Call it once the stacks exist. Returns the packs added.
   */
  static addTo(scope: IConstruct, options: PolicyOptions = {}): PolicyPack[] {
    const targets = App.isApp(scope) ? scope.node.findAll().filter((c) => TerraformStack.isStack(c)) : [scope];
    return targets.map((target) => {
      requireOwnLibraryCopy(target);
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
    // The first node visited is the one the aspect was added to. cdktf visits it once per synth, and
    // every synth is judged afresh: a stack changed after an earlier synth is checked again. The
    // previous evaluation's annotations go first, so each finding is annotated once, as it is now.
    this.root ??= node;
    if (node !== this.root) return;
    this.removeOwnAnnotations();
    const located = evaluate(node, this.options, (s) => (s === stack ? prepared : undefined));
    this.result = resultOf(located, this.options);
    for (const { finding, construct, suppressed } of located) {
      const annotations = Annotations.of(construct);
      const before = construct.node.metadata.length;
      if (suppressed) annotations.addInfo(`${finding.ruleId} suppressed: ${(finding as SuppressedFinding).suppression.reason}`);
      else if (finding.severity === "error") annotations.addError(annotationText(finding));
      else if (finding.severity === "warning") annotations.addWarning(annotationText(finding));
      else annotations.addInfo(annotationText(finding));
      const entry = metadataEntries(construct)[before];
      if (entry) this.added.push({ construct, entry });
    }
  }

  private removeOwnAnnotations(): void {
    for (const { construct, entry } of this.added) {
      const entries = metadataEntries(construct);
      const at = entries.indexOf(entry);
      if (at >= 0) entries.splice(at, 1);
    }
    this.added = [];
  }
}

/**
 * The construct's own metadata list. constructs 10 exposes only a copy (`node.metadata`) and no way
 * to remove an entry; the pack removes exactly the entries it added, by identity, so that a later
 * synth does not keep findings that no longer hold.
 */
function metadataEntries(construct: IConstruct): object[] {
  const own = (construct.node as unknown as { _metadata?: unknown })._metadata;
  // Should constructs rename its field, nothing is removed: findings are annotated again (never lost).
  return Array.isArray(own) ? (own as object[]) : [];
}

/** `PVE-FW-001: <message> Fix: <remediation>` (cdktf prefixes the construct path). */
function annotationText(f: Finding): string {
  const where = f.source ? ` [${f.source.file}:${f.source.line}:${f.source.col}]` : "";
  return `${f.ruleId}: ${f.message}${where} Fix: ${f.remediation}`;
}

/**
 * A finding read back from the annotation the pack wrote ({@link annotationText}), e.g. from a
 * cdktf manifest; undefined for any other annotation, a suppressed finding's included.
 */
export function findingFromAnnotation(text: string): Pick<Finding, "ruleId" | "message" | "remediation"> | undefined {
  const m = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+): ([\s\S]*?)(?: \[[^\]]*\])? Fix: ([\s\S]*)$/.exec(text);
  return m ? { ruleId: m[1], message: m[2], remediation: m[3] } : undefined;
}

/**
 * Aspects live in a per-copy registry of the CDK library: a stack built with another copy than
 * proxmox-cdk's (cdktn imported as `cdktn` next to proxmox-cdk's `cdktf`) would never run the pack.
 */
function requireOwnLibraryCopy(target: IConstruct): void {
  const stack: IConstruct = TerraformStack.isStack(target) ? target : TerraformStack.of(target);
  if (stack instanceof TerraformStack) return;
  throw new Error(
    `PolicyPack: stack "${stack.node.path}" was built with another copy of the CDK library than proxmox-cdk's, so the pack would never run on it. ` +
      `Use one copy: with CDK Terrain, install it under the name cdktf (npm install cdktf@npm:cdktn@0.24.0) and import App and TerraformStack from "cdktf".`,
  );
}
