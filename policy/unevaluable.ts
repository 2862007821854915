import type { ConfigOwner } from "./values";

/**
 * A value a rule needs but the policy cannot know at synth: an interpolation Terraform computes at
 * apply, a configuration that failed to resolve, a name defined outside the stack. Thrown by the
 * readers of values.ts (and by helpers such as the firewall exposure check); the pack turns it into
 * a "could not evaluate …" finding of the rule that asked, on the element that holds the value.
 */
export class UnevaluableError extends Error {
  /**
   * @param owner the element holding the value (undefined when it is not a tracked configuration)
   * @param attribute attribute path inside the owner, e.g. `rule[2].source`
   * @param reason why it cannot be known, e.g. `it is "${var.cidr}", known only at apply`
   */
  constructor(
    readonly owner: ConfigOwner | undefined,
    readonly attribute: string,
    readonly reason: string,
  ) {
    super(`could not evaluate ${attribute}${owner ? ` of ${owner.label}` : ""}: ${reason}`);
    this.name = "UnevaluableError";
  }
}
