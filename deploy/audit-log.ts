import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// Redaction has its own home (deploy/redact.ts); re-exported for the callers that import it from here.
import { redact } from "./redact";
export { redact };

/** One audit record: what was done to which environment, by whom, with what result. No secrets. */
export interface AuditRecord {
  readonly action: "up" | "plan" | "destroy" | "draft" | "drift" | "review" | "rotate-keys";
  readonly env: string;
  readonly result: "ok" | "error" | "no-changes" | "drift";
  readonly durationMs: number;
  /** Resource counts (plan or state), when known. */
  readonly counts?: Readonly<Record<string, number>>;
  /** Target description (endpoint host, never a token). */
  readonly target?: string;
  /** Error message, when result is "error". */
  readonly error?: string;
  /** `rotate-keys`: the keys added and removed, by fingerprint only (never key material), and whether the guests got them. */
  readonly keys?: KeyRotationAudit;
}

/** What a key rotation records: fingerprints (`SHA256:…`) only. */
export interface KeyRotationAudit {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** `pushed`: Ansible set the guests' authorized_keys; `skipped`: --no-guests (cloud-init only). */
  readonly guests: "pushed" | "skipped";
}

/** Where audit lines go: `PROXMOX_CDK_AUDIT_LOG`, else `<root>/.state/audit.log`. */
export function auditLogFile(root: string): string {
  return process.env.PROXMOX_CDK_AUDIT_LOG ?? path.join(root, ".state", "audit.log");
}

/**
 * Appends one JSON line (time, user, env, action, result, counts, duration). A single `appendFileSync`
 * of one line keeps concurrent writers from interleaving within a line.
 */
export function appendAudit(root: string, record: AuditRecord): void {
  const line = {
    time: new Date().toISOString(),
    user: os.userInfo().username,
    ...record,
    ...(record.error ? { error: redact(record.error).slice(0, 2000) } : {}),
    ...(record.target ? { target: redact(record.target) } : {}),
  };
  const file = auditLogFile(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, JSON.stringify(line) + "\n");
}
