import { PolicyRule, CIS } from "../rule";
import { containerLabel, runningContainers } from "../container-queries";
import { block, bool } from "../values";

/** PVE-CT-003: the keyctl() system call stays hidden from containers. */
export const rule: PolicyRule = {
  id: "PVE-CT-003",
  severity: "warning",
  description: "No container has keyctl on (the keyctl() system call reaches the node kernel's keyrings).",
  remediation: "Remove features.keyctl (HardenedContainer: drop features.keyctl) unless the container runs docker; then suppress with the reason.",
  mappings: [CIS.networkArchitecture],
  check(ctx) {
    return ctx.each(runningContainers(ctx), (ct) =>
      bool(block(ct.config, "features"), "keyctl") === true
        ? [{ subject: ct.construct, message: `${containerLabel(ct)} has features.keyctl = true, so it can call keyctl() on the node's kernel.` }]
        : [],
    );
  },
};
