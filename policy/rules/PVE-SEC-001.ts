import { PolicyRule } from "../rule";
import { isSecretName } from "../secret-names";
import { bool } from "../values";

/** PVE-SEC-001: secret inputs are marked sensitive. */
export const rule: PolicyRule = {
  id: "PVE-SEC-001",
  severity: "error",
  description: "Terraform variables named like a secret (password, secret, token, private key, credentials) are declared sensitive.",
  remediation: "Declare the variable with sensitive: true so Terraform redacts it in plans and logs.",
  mappings: [],
  terraformOnly: "it judges Terraform variables.",
  check(ctx) {
    return ctx.each(ctx.variables, (v) =>
      isSecretName(v.name) && bool(v.config, "sensitive") !== true
        ? [{ subject: v.construct, message: `variable "${v.name}" looks like a secret but is not sensitive: plans and logs print it.` }]
        : [],
    );
  },
};
