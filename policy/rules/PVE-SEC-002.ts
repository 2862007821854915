import { PolicyRule } from "../rule";
import { isSecretName } from "../secret-names";
import { bool, raw } from "../values";

const TOKEN_VALUE = /^(proxmox_virtual_environment_user_token|proxmox_user_token)\.[^.]+\.value$/;

/** PVE-SEC-002: outputs never print secrets. */
export const rule: PolicyRule = {
  id: "PVE-SEC-002",
  severity: "error",
  description: "Outputs that reference an API token value, a password or a secret-named variable are declared sensitive.",
  remediation: "Mark the output sensitive: true (TerraformAccess's token output is) and read it with terraform output -raw.",
  mappings: [],
  terraformOnly: "it judges Terraform outputs.",
  check(ctx) {
    return ctx.each(ctx.outputs, (o) => {
      if (bool(o.config, "sensitive") === true) return [];
      // The value's references are what this rule reads: they are known at synth, their values are not needed.
      const refs = [...JSON.stringify(raw(o.config, "value") ?? null).matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
      const secret = refs.find(
        (ref) => TOKEN_VALUE.test(ref) || /(^|[._])(password|secret|private_key)($|[._])/.test(ref) || (ref.startsWith("var.") && isSecretName(ref.slice(4))),
      );
      return secret ? [{ subject: o.construct, message: `output "${o.name}" shows \${${secret}} in clear text: it is not sensitive.` }] : [];
    });
  },
};
