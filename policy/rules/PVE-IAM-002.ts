import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { blocks, str } from "../values";

/** PVE-IAM-002: nobody is granted the built-in Administrator role by code. */
export const rule: PolicyRule = {
  id: "PVE-IAM-002",
  severity: "error",
  description: "No ACL (resource or user acl block) grants the built-in Administrator role.",
  remediation: "Grant a least-privilege role instead (TerraformAccess derives one from the resources it manages).",
  mappings: [CIS.adminPrivileges, CIS.roleBasedAccess],
  check(ctx) {
    const acls = ctx.ofType(T.acl).filter((acl) => str(acl.config.role_id) === "Administrator");
    const userAcls = ctx.ofType(T.user).filter((u) => blocks(u.config, "acl").some((a) => str(a.role_id) === "Administrator"));
    return [
      ...acls.map((acl) => ({
        subject: acl.construct,
        message: `ACL ${acl.address} grants Administrator on ${JSON.stringify(acl.config.path ?? "/")} to ${JSON.stringify(acl.config.token_id ?? acl.config.user_id ?? acl.config.group_id ?? "?")}.`,
      })),
      ...userAcls.map((u) => ({ subject: u.construct, message: `user ${JSON.stringify(u.config.user_id ?? u.address)} has an acl block granting Administrator.` })),
    ];
  },
};
