import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { bool, raw } from "../values";

/** PVE-OPS-007: backup jobs are enabled. */
export const rule: PolicyRule = {
  id: "PVE-OPS-007",
  severity: "warning",
  description: "Backup jobs are enabled; a disabled job backs up nothing while looking configured.",
  remediation: "Set enabled = true on the backup job, or delete it.",
  mappings: [CIS.automatedBackups],
  check(ctx) {
    return ctx.each(ctx.ofType(T.backupJob), (job) =>
      bool(job.config, "enabled") === false
        ? [{ subject: job.construct, message: `backup job ${JSON.stringify(raw(job.config, "id") ?? job.address)} is disabled.` }]
        : [],
    );
  },
};
