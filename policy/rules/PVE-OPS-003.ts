import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { isSet, obj, raw } from "../values";

/** PVE-OPS-003: backup jobs say how many backups they keep. */
export const rule: PolicyRule = {
  id: "PVE-OPS-003",
  severity: "warning",
  description: "Every backup job sets a retention (prune_backups or maxfiles), so backups neither pile up nor depend on storage defaults.",
  remediation: "Set prune_backups (BackupJob keeps 7 daily, 4 weekly, 3 monthly by default).",
  mappings: [],
  check(ctx) {
    // A retention from a variable is a retention: being set is what counts.
    return ctx.each(ctx.ofType(T.backupJob), (job) => {
      const prune = raw(job.config, "prune_backups");
      const hasPrune = typeof prune === "string" ? isSet(prune) : Object.keys(obj(prune) ?? {}).length > 0;
      if (hasPrune || isSet(raw(job.config, "maxfiles"))) return [];
      return [
        {
          subject: job.construct,
          message: `backup job ${JSON.stringify(raw(job.config, "id") ?? job.address)} has neither prune_backups nor maxfiles: retention falls back to the storage's setting (keep-all by default).`,
        },
      ];
    });
  },
};
