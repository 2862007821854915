import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { isSet, obj } from "../values";

/** PVE-OPS-003: backup jobs say how many backups they keep. */
export const rule: PolicyRule = {
  id: "PVE-OPS-003",
  severity: "warning",
  description: "Every backup job sets a retention (prune_backups or maxfiles), so backups neither pile up nor depend on storage defaults.",
  remediation: "Set prune_backups (BackupJob keeps 7 daily, 4 weekly, 3 monthly by default).",
  mappings: [],
  check(ctx) {
    return ctx
      .ofType(T.backupJob)
      .filter((job) => {
        const prune = job.config.prune_backups;
        const hasPrune = typeof prune === "string" ? isSet(prune) : Object.keys(obj(prune) ?? {}).length > 0;
        return !hasPrune && !isSet(job.config.maxfiles);
      })
      .map((job) => ({
        subject: job.construct,
        message: `backup job ${JSON.stringify(job.config.id ?? job.address)} has neither prune_backups nor maxfiles: retention falls back to the storage's setting (keep-all by default).`,
      }));
  },
};
