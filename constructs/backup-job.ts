import { Construct } from "constructs";
import { BackupJob as BackupJobResource } from "../.gen/providers/proxmox/backup-job";
import { checkIntRange } from "./input-checks";
import { literalText } from "./literal-text";

/** Retention of a backup job (vzdump prune settings). */
export interface BackupRetention {
  /** Daily backups kept. @default 7 */
  readonly keepDaily?: number;
  /** Weekly backups kept. @default 4 */
  readonly keepWeekly?: number;
  /** Monthly backups kept. @default 3 */
  readonly keepMonthly?: number;
}

/** Props of {@link BackupJob}. */
export interface BackupJobProps {
  /** Job id (letters, digits, - and _). */
  readonly jobId: string;
  /** Backup storage; in prod a `PbsStorage`'s `storageId` with encryption (rule PVE-OPS-009). */
  readonly storage: string;
  /** VM ids to back up; or use `pool`. @default none */
  readonly vmIds?: readonly (number | string)[];
  /** Back up every guest of this pool. @default none */
  readonly pool?: string;
  /** systemd calendar schedule. @default "sun 01:00" */
  readonly schedule?: string;
  /** Retention; a job without retention is reported by the policy pack. @default 7 daily, 4 weekly, 3 monthly */
  readonly retention?: BackupRetention;
  /** vzdump mode. @default "snapshot" */
  readonly mode?: "snapshot" | "suspend" | "stop";
  /** Compression. @default "zstd" */
  readonly compress?: "zstd" | "lzo" | "gzip" | "0";
}

/** A scheduled vzdump backup job with retention. */
export class BackupJob extends Construct {
  /** The provider resource. */
  readonly resource: BackupJobResource;

  constructor(scope: Construct, id: string, props: BackupJobProps) {
    super(scope, id);
    const owner = `BackupJob "${id}"`;
    if (!/^[A-Za-z][A-Za-z0-9_-]{1,49}$/.test(props.jobId)) {
      throw new Error(`${owner}: jobId "${props.jobId}" must start with a letter and use letters, digits, - and _ (2-50).`);
    }
    if (!props.vmIds?.length && !props.pool) throw new Error(`${owner}: set vmIds or pool — a job must select guests.`);
    const r = props.retention ?? {};
    const keep = { daily: r.keepDaily ?? 7, weekly: r.keepWeekly ?? 4, monthly: r.keepMonthly ?? 3 };
    for (const [k, v] of Object.entries(keep)) checkIntRange(owner, `retention.keep${k[0].toUpperCase()}${k.slice(1)}`, v, 0, 1000);
    if (keep.daily + keep.weekly + keep.monthly === 0) throw new Error(`${owner}: retention keeps nothing — keep at least one backup.`);
    const prune: Record<string, string> = {};
    if (keep.daily) prune["keep-daily"] = String(keep.daily);
    if (keep.weekly) prune["keep-weekly"] = String(keep.weekly);
    if (keep.monthly) prune["keep-monthly"] = String(keep.monthly);
    this.resource = new BackupJobResource(
      this,
      "job",
      literalText({
        id: props.jobId,
        schedule: props.schedule ?? "sun 01:00",
        storage: props.storage,
        ...(props.vmIds?.length ? { vmid: props.vmIds.map(String) } : {}),
        ...(props.pool ? { pool: props.pool } : {}),
        mode: props.mode ?? "snapshot",
        compress: props.compress ?? "zstd",
        enabled: true,
        pruneBackups: prune,
      }),
    );
  }
}
