import { IConstruct } from "constructs";
import { ALL_RULES } from "./rules";
import { EXPIRED_SUPPRESSION_RULE_ID } from "./rules/PVE-SUP-001";
import { SUPPRESSION_METADATA_TYPE, StoredSuppression } from "./suppression-store";

/** Options of {@link suppress}. */
export interface SuppressionOptions {
  /** Why the finding is accepted (at least 10 characters); shown in every report. */
  readonly reason: string;
  /**
   * Last day the suppression applies (UTC, `YYYY-MM-DD`). After it the findings come back, and the
   * stale suppression is itself reported (PVE-SUP-001).
   * @default never expires
   */
  readonly expires?: string;
}

const MIN_REASON_LENGTH = 10;

/**
 * Accepts the findings of `ruleId` (one id or several) on `construct` and everything below it.
 * Throws at once on an unknown rule id, a reason shorter than 10 characters or a malformed date,
 * so a bad suppression never silently hides or fails to hide anything.
 *
 * @example suppress(bastion, "PVE-FW-006", { reason: "bastion host: SSH from anywhere, fail2ban + keys only", expires: "2027-01-31" })
 */
export function suppress(construct: IConstruct, ruleId: string | readonly string[], options: SuppressionOptions): void {
  const ids = typeof ruleId === "string" ? [ruleId] : [...ruleId];
  const where = `suppress(${construct.node.path || "<app>"})`;
  if (ids.length === 0) throw new Error(`${where}: no rule id given — name the rule(s) to suppress, e.g. "PVE-FW-001".`);
  const known = new Set(ALL_RULES.map((r) => r.id));
  for (const id of ids) {
    if (id === EXPIRED_SUPPRESSION_RULE_ID) {
      throw new Error(`${where}: ${id} reports expired suppressions and cannot itself be suppressed — renew or remove the expired suppression.`);
    }
    if (!known.has(id)) {
      const near = [...known].filter((k) => k.slice(0, 7) === id.slice(0, 7)).slice(0, 5);
      throw new Error(`${where}: unknown rule id "${id}"${near.length ? ` — did you mean ${near.join(", ")}?` : " — see docs/RULES.md for the rule ids."}`);
    }
  }
  const reason = (options.reason ?? "").trim();
  if (reason.length < MIN_REASON_LENGTH) {
    throw new Error(
      `${where} ${ids.join(", ")}: reason "${reason}" is ${reason.length} characters — explain in at least ${MIN_REASON_LENGTH} why the finding is accepted.`,
    );
  }
  if (options.expires !== undefined && !isCalendarDate(options.expires)) {
    throw new Error(`${where} ${ids.join(", ")}: expires "${options.expires}" is not a date — write it as YYYY-MM-DD, e.g. 2027-01-31.`);
  }
  for (const id of ids) {
    const entry: StoredSuppression = { ruleId: id, reason, ...(options.expires ? { expires: options.expires } : {}) };
    construct.node.addMetadata(SUPPRESSION_METADATA_TYPE, entry);
  }
}

/** Whether `text` is a calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
