import type { Stage } from "./environment-schema";

/** Backup retention counts. */
export interface Retention {
  readonly keepDaily: number;
  readonly keepWeekly: number;
  readonly keepMonthly: number;
}

/** What a stage turns on when the spec does not say. */
export interface StageDefaults {
  /** PVE protection flag on every VM. */
  readonly protection: boolean;
  /** A vzdump backup job for the environment's VMs. */
  readonly backups: boolean;
  /** Every VM registered as an HA resource. */
  readonly ha: boolean;
  /** Retention of the backup job when it runs. */
  readonly retention: Retention;
  /** Oldest an SSH key may be, in days (`cloudInit.maxKeyAgeDays`; policy rule PVE-CI-005). */
  readonly maxKeyAgeDays: number;
}

/** Hardened defaults per stage: prod is protected, backed up and HA; staging is backed up; dev is neither. */
export const STAGE_DEFAULTS: Readonly<Record<Stage, StageDefaults>> = {
  dev: { protection: false, backups: false, ha: false, retention: { keepDaily: 3, keepWeekly: 0, keepMonthly: 0 }, maxKeyAgeDays: 730 },
  staging: { protection: false, backups: true, ha: false, retention: { keepDaily: 7, keepWeekly: 2, keepMonthly: 0 }, maxKeyAgeDays: 365 },
  prod: { protection: true, backups: true, ha: true, retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 }, maxKeyAgeDays: 365 },
};

/** Defaults that do not depend on the stage. */
export const COMMON_DEFAULTS = {
  backupSchedule: "02:00",
  haMaxRestart: 1,
  haMaxRelocate: 1,
  placement: "spread",
  stateBackend: "local",
  uefi: true,
  tier: { kind: "vm", count: 1, cores: 2, memoryMiB: 2048, diskGiB: 20, os: "linux", ipv4: "dhcp" },
} as const;

/**
 * Whether an optional feature block (backups, ha) is on: an explicit `enabled` wins, a block
 * written without `enabled` means "on" (nobody tunes what they do not want), else the stage decides.
 */
export function featureEnabled(stageDefault: boolean, block: { readonly enabled?: unknown } | undefined): boolean {
  if (block === undefined) return stageDefault;
  return typeof block.enabled === "boolean" ? block.enabled : true;
}
