import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { block, str } from "../values";

/** PVE-SEC-003: no password is written literally into the configuration. */
export const rule: PolicyRule = {
  id: "PVE-SEC-003",
  severity: "error",
  description: "No password is a literal in the synthesised configuration (VM and container cloud-init users, PVE users).",
  remediation: "Pass passwords as a sensitive TerraformVariable (or a secret manager data source), never as a string in code.",
  mappings: [],
  check(ctx) {
    const guests = ctx
      .ofType([...T.vm, ...T.container])
      .filter((g) => !!str(block(block(g.config, "initialization"), "user_account")?.password))
      .map((g) => ({ subject: g.construct, message: `${g.address}: initialization.user_account.password is a literal, stored in the synthesised JSON and in git.` }));
    const users = ctx
      .ofType(T.user)
      .filter((u) => !!str(u.config.password))
      .map((u) => ({ subject: u.construct, message: `user ${JSON.stringify(u.config.user_id ?? u.address)}: password is a literal, stored in the synthesised JSON and in git.` }));
    return [...guests, ...users];
  },
};
