import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { block, isUnknown, raw } from "../values";

/** A non-empty value with no interpolation in it: what the rule is about (a variable's value is the fix). */
function isLiteral(v: unknown): boolean {
  return (typeof v === "string" && v !== "" && !isUnknown(v)) || typeof v === "number";
}

/** PVE-SEC-003: no password is written literally into the configuration. */
export const rule: PolicyRule = {
  id: "PVE-SEC-003",
  severity: "error",
  description: "No password is a literal in the synthesised configuration (VM and container cloud-init users, PVE users).",
  remediation: "Pass passwords as a sensitive TerraformVariable (or a secret manager data source), never as a string in code.",
  mappings: [],
  terraformOnly:
    "it is about passwords written into the synthesised JSON; PVE never returns a password (cipassword reads as **********), and a live password is judged by PVE-CI-001.",
  check(ctx) {
    const guests = ctx.each(ctx.ofType([...T.vm, ...T.container]), (g) =>
      isLiteral(raw(block(block(g.config, "initialization"), "user_account"), "password"))
        ? [{ subject: g.construct, message: `${g.address}: initialization.user_account.password is a literal, stored in the synthesised JSON and in git.` }]
        : [],
    );
    const users = ctx.each(ctx.ofType(T.user), (u) =>
      isLiteral(raw(u.config, "password"))
        ? [
            {
              subject: u.construct,
              message: `user ${JSON.stringify(raw(u.config, "user_id") ?? u.address)}: password is a literal, stored in the synthesised JSON and in git.`,
            },
          ]
        : [],
    );
    return [...guests, ...users];
  },
};
