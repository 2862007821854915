import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { bool, raw } from "../values";

/** PVE-IAM-003: API tokens have their own, narrower rights. */
export const rule: PolicyRule = {
  id: "PVE-IAM-003",
  severity: "error",
  description: "API tokens use privilege separation, so a token has only the ACLs granted to it, not all of its user's rights.",
  remediation: "Set privileges_separation = true (the provider's and TerraformAccess's default) and grant the token its own ACL.",
  mappings: [CIS.roleBasedAccess],
  check(ctx) {
    return ctx.each(ctx.ofType(T.userToken), (t) =>
      bool(t.config, "privileges_separation") === false
        ? [
            {
              subject: t.construct,
              message: `token ${JSON.stringify(raw(t.config, "token_name") ?? t.address)} has privileges_separation = false: it holds every right of its user.`,
            },
          ]
        : [],
    );
  },
};
