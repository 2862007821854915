import { z } from "zod";
import { boundedInt } from "./bounded-int";
import { calendarEvent, storageId } from "./identifiers";
import { LIMITS } from "./limits";
import { PbsTargetSchema } from "./pbs-schema";

const keep = (max: number, what: string) => boundedInt(0, max, `${what} to keep (0..${max}).`).optional();

/** How many backups the job keeps; fields left out take the stage default. */
export const RetentionSchema = z
  .strictObject({
    keepDaily: keep(LIMITS.retention.keepDaily, "Daily backups"),
    keepWeekly: keep(LIMITS.retention.keepWeekly, "Weekly backups"),
    keepMonthly: keep(LIMITS.retention.keepMonthly, "Monthly backups"),
  })
  .describe("Backup retention; omitted fields take the stage default.");

/**
 * The vzdump backup job of the environment's VMs. On by default in staging and prod; writing
 * the block at all turns it on in dev; `enabled: false` turns it off (reported by the policy pack).
 */
export const BackupsSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe("Run a backup job. Default: true in staging and prod, false in dev (true if this block is written)."),
    schedule: calendarEvent().optional(),
    storage: storageId().optional(),
    retention: RetentionSchema.optional(),
    pbs: PbsTargetSchema.optional(),
  })
  .describe("Backup job of the environment.");

/**
 * Proxmox VE HA for every VM. On by default in prod; writing the block turns it on in other
 * stages; `enabled: false` turns it off (reported by the policy pack in prod).
 */
export const HaSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe("Register every VM as an HA resource. Default: true in prod, false otherwise (true if this block is written)."),
    maxRestart: boundedInt(LIMITS.haRetries.min, LIMITS.haRetries.max, "Restart attempts on the same node (0..10). Default: 1.").optional(),
    maxRelocate: boundedInt(LIMITS.haRetries.min, LIMITS.haRetries.max, "Relocation attempts to other nodes (0..10). Default: 1.").optional(),
  })
  .describe("High availability of the environment's VMs.");
