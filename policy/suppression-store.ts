import { IConstruct } from "constructs";

/** Metadata type under which suppressions are stored on constructs. */
export const SUPPRESSION_METADATA_TYPE = "proxmox-cdk:suppression";

/** A suppression as stored on a construct. */
export interface StoredSuppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Last day (UTC, YYYY-MM-DD) on which it applies. */
  readonly expires?: string;
}

/** A suppression and the construct it was declared on. */
export interface DeclaredSuppression extends StoredSuppression {
  readonly declaredOn: IConstruct;
}

/** Suppressions declared directly on `construct`. */
export function suppressionsOn(construct: IConstruct): StoredSuppression[] {
  return construct.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA_TYPE).map((m) => m.data as StoredSuppression);
}

/** Every suppression declared on `scope` or below it. */
export function suppressionsUnder(scope: IConstruct): DeclaredSuppression[] {
  return scope.node.findAll().flatMap((c) => suppressionsOn(c).map((s) => ({ ...s, declaredOn: c })));
}

/** True once the suppression's last day (UTC) is over. */
export function isExpired(s: StoredSuppression, now: Date): boolean {
  if (!s.expires) return false;
  const [y, m, d] = s.expires.split("-").map(Number);
  return now.getTime() >= Date.UTC(y, m - 1, d + 1);
}

/**
 * The suppression that covers a finding of `ruleId` on `subject`: the nearest unexpired one declared
 * on the subject or an ancestor. An expired suppression covers nothing (and is reported itself).
 */
export function coveringSuppression(subject: IConstruct, ruleId: string, now: Date): DeclaredSuppression | undefined {
  for (const scope of [...subject.node.scopes].reverse()) {
    const hit = suppressionsOn(scope).find((s) => s.ruleId === ruleId && !isExpired(s, now));
    if (hit) return { ...hit, declaredOn: scope };
  }
  return undefined;
}
