import { PolicyRule, CIS } from "../rule";
import { containerLabel, runningContainers } from "../container-queries";
import { bool, raw } from "../values";

/** PVE-CT-001: containers run unprivileged. */
export const rule: PolicyRule = {
  id: "PVE-CT-001",
  severity: "error",
  description: "Every container is unprivileged (unprivileged = true; bpg/proxmox's default is a privileged container, whose root is the host's root).",
  remediation: "Set unprivileged = true (HardenedContainer's default; drop privileged: true) and recreate the container.",
  mappings: [CIS.adminPrivileges],
  check(ctx) {
    return ctx.each(runningContainers(ctx), (ct) =>
      bool(ct.config, "unprivileged") === true
        ? []
        : [
            {
              subject: ct.construct,
              message: `${containerLabel(ct)} has unprivileged = ${JSON.stringify(raw(ct.config, "unprivileged") ?? null)}, so it runs privileged: root in the container is root on the node.`,
            },
          ],
    );
  },
};
