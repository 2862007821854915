import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { isSet, raw } from "../values";

/** PVE-IAM-004: API tokens expire. */
export const rule: PolicyRule = {
  id: "PVE-IAM-004",
  severity: "error",
  description: "Every API token has an expiration date, so a leaked token stops working on its own.",
  remediation: "Set expiration_date (RFC 3339, e.g. 2027-03-01T00:00:00Z; TerraformAccess requires tokenExpiry) and rotate before it.",
  mappings: [],
  check(ctx) {
    // An expiry from a variable is an expiry: being set is known even when the date is not.
    return ctx.each(ctx.ofType(T.userToken), (t) =>
      isSet(raw(t.config, "expiration_date"))
        ? []
        : [{ subject: t.construct, message: `token ${JSON.stringify(raw(t.config, "token_name") ?? t.address)} has no expiration_date: it never expires.` }],
    );
  },
};
