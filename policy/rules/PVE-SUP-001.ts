import { PolicyRule } from "../rule";
import { isExpired, suppressionsUnder } from "../suppression-store";

/** Id of the rule that reports expired suppressions (itself never suppressible). */
export const EXPIRED_SUPPRESSION_RULE_ID = "PVE-SUP-001";

/** PVE-SUP-001: suppressions are renewed or removed when they expire. */
export const rule: PolicyRule = {
  id: EXPIRED_SUPPRESSION_RULE_ID,
  severity: "warning",
  description: "No suppression is past its expiry date (an expired suppression no longer hides its findings).",
  remediation: "Fix the finding and remove the suppression, or renew it with a new expires date and a current reason.",
  mappings: [],
  terraformOnly: "suppressions are declared on constructs; live configuration carries none.",
  check(ctx) {
    return suppressionsUnder(ctx.stack)
      .filter((s) => isExpired(s, ctx.now))
      .map((s) => ({
        subject: s.declaredOn,
        message: `the suppression of ${s.ruleId} ("${s.reason}") expired on ${s.expires}; its findings are reported again.`,
      }));
  },
};
