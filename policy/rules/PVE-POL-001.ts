import { PolicyRule } from "../rule";

/** PVE-POL-001: the policy can read every element it judges. */
export const rule: PolicyRule = {
  id: "PVE-POL-001",
  severity: "error",
  description:
    "Every resource, variable and output of the stack resolves at synth; one that fails to resolve cannot be judged by any rule, so it is reported instead of skipped.",
  remediation:
    "Fix the value that fails to resolve (the message names cdktf's error), usually a Lazy or token that throws or refers to a construct of another app.",
  mappings: [],
  terraformOnly: "it reports Terraform elements that fail to resolve at synth; live configuration is read as data.",
  check(ctx) {
    return ctx.unresolved.map((e) => ({
      subject: e.construct,
      message: `could not evaluate ${"address" in e ? e.address : e.name}: its configuration failed to resolve (${e.unresolved}), so no rule could judge it.`,
      unevaluated: { attribute: "*" },
    }));
  },
};
