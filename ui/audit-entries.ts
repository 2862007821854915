import * as fs from "fs";
import { auditLogFile } from "../deploy/audit-log";

/** One line of the audit log as read back (the fields `appendAudit` writes). */
export interface AuditEntry {
  readonly time: string;
  readonly user: string;
  readonly action: string;
  readonly env: string;
  readonly result: string;
  readonly durationMs?: number;
  readonly counts?: Readonly<Record<string, number>>;
  readonly target?: string;
  readonly error?: string;
}

/** Filters of the audit page; an absent or empty filter matches everything. */
export interface AuditFilter {
  readonly env?: string;
  readonly action?: string;
  readonly result?: string;
}

/** The audit log, read: entries newest first, and how many lines were not audit records. */
export interface AuditLog {
  readonly entries: readonly AuditEntry[];
  readonly unreadable: number;
}

const isText = (v: unknown): v is string => typeof v === "string";

/** Reads `<root>/.state/audit.log` (or PROXMOX_CDK_AUDIT_LOG); a missing file is an empty log. */
export function readAuditLog(root: string): AuditLog {
  const file = auditLogFile(root);
  if (!fs.existsSync(file)) return { entries: [], unreadable: 0 };
  const entries: AuditEntry[] = [];
  let unreadable = 0;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      if (![r.time, r.user, r.action, r.env, r.result].every(isText)) throw new Error("not an audit record");
      entries.push(r as unknown as AuditEntry);
    } catch {
      unreadable++;
    }
  }
  return { entries: entries.reverse(), unreadable };
}

/** Entries matching every given filter. */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  return entries.filter(
    (e) => (!filter.env || e.env === filter.env) && (!filter.action || e.action === filter.action) && (!filter.result || e.result === filter.result),
  );
}

/** The newest entry of an environment, if any. */
export function lastRun(entries: readonly AuditEntry[], env: string): AuditEntry | undefined {
  return entries.find((e) => e.env === env);
}
