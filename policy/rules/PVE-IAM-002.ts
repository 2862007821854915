import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { blocks, raw, str } from "../values";

/** PVE-IAM-002: nobody is granted the built-in Administrator role by code. */
export const rule: PolicyRule = {
  id: "PVE-IAM-002",
  severity: "error",
  description: "No ACL (resource or user acl block) grants the built-in Administrator role.",
  remediation: "Grant a least-privilege role instead (TerraformAccess derives one from the resources it manages).",
  mappings: [CIS.adminPrivileges, CIS.roleBasedAccess],
  check(ctx) {
    const acls = ctx.each(ctx.ofType(T.acl), (acl) =>
      str(acl.config, "role_id") === "Administrator"
        ? [
            {
              subject: acl.construct,
              message: `ACL ${acl.address} grants Administrator on ${JSON.stringify(raw(acl.config, "path") ?? "/")} to ${JSON.stringify(raw(acl.config, "token_id") ?? raw(acl.config, "user_id") ?? raw(acl.config, "group_id") ?? "?")}.`,
            },
          ]
        : [],
    );
    const userAcls = ctx.each(ctx.ofType(T.user), (u) =>
      blocks(u.config, "acl").some((a) => str(a, "role_id") === "Administrator")
        ? [{ subject: u.construct, message: `user ${JSON.stringify(raw(u.config, "user_id") ?? u.address)} has an acl block granting Administrator.` }]
        : [],
    );
    return [...acls, ...userAcls];
  },
};
