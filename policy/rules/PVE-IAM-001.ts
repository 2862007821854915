import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { raw, strList } from "../values";

/** Why a privilege set amounts to Administrator, or undefined when it does not. */
export function adminEquivalence(privileges: readonly string[]): string | undefined {
  if (privileges.includes("Permissions.Modify")) return "Permissions.Modify lets it grant itself any role";
  if (privileges.includes("Sys.Modify") && privileges.includes("Realm.AllocateUser")) {
    return "Sys.Modify with Realm.AllocateUser lets it create users and change the cluster's configuration";
  }
  return undefined;
}

/** PVE-IAM-001: custom roles stay below Administrator. */
export const rule: PolicyRule = {
  id: "PVE-IAM-001",
  severity: "error",
  description: "No custom role holds Administrator-equivalent privileges (Permissions.Modify, or Sys.Modify together with Realm.AllocateUser).",
  remediation: "Derive the role from the managed resources (TerraformAccess) and drop Permissions.Modify / Realm.AllocateUser from extraPrivileges.",
  mappings: [CIS.roleBasedAccess, CIS.adminPrivileges],
  check(ctx) {
    return ctx.each(ctx.ofType(T.role), (role) => {
      const why = adminEquivalence(strList(role.config, "privileges") ?? []);
      return why
        ? [{ subject: role.construct, message: `role ${JSON.stringify(raw(role.config, "role_id") ?? role.address)} is Administrator-equivalent: ${why}.` }]
        : [];
    });
  },
};
