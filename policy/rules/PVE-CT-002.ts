import { PolicyRule, CIS } from "../rule";
import { containerLabel, runningContainers } from "../container-queries";
import { block, bool } from "../values";

/** PVE-CT-002: container nesting stays off. */
export const rule: PolicyRule = {
  id: "PVE-CT-002",
  severity: "warning",
  description: "No container has nesting on (it exposes the node's procfs and sysfs to the container).",
  remediation:
    "Remove features.nesting (HardenedContainer: drop features.nesting) unless the container runs nested containers or needs systemd's service isolation; then suppress with the reason.",
  mappings: [CIS.networkArchitecture],
  check(ctx) {
    return ctx.each(runningContainers(ctx), (ct) =>
      bool(block(ct.config, "features"), "nesting") === true
        ? [{ subject: ct.construct, message: `${containerLabel(ct)} has features.nesting = true, which exposes the node's procfs and sysfs to it.` }]
        : [],
    );
  },
};
