import { isProdJob } from "../backup-queries";
import type { PolicyContext } from "../context";
import type { PolicyResource } from "../policy-resource";
import { T } from "../resource-types";
import { CIS, PolicyRule } from "../rule";
import { bool, isSet, raw, str, unevaluable } from "../values";

/** The storages of a fresh PVE install (a directory and an LVM-thin pool): never client-side encrypted. */
const BUILT_IN_STORAGES = new Set(["local", "local-lvm"]);

/**
 * Why backups onto `storageId` are not encrypted on the client, or undefined when they are.
 * Throws UnevaluableError (on the job's `storage`) when no storage definition the policy reads
 * names it: a storage defined outside the stack could be anything, so it is never taken for an
 * encrypted one.
 */
function unencryptedBecause(ctx: PolicyContext, job: PolicyResource, storageId: string): string | undefined {
  const pbs = ctx.ofType(T.pbsStorage).find((s) => str(s.config, "id") === storageId);
  if (pbs) {
    // A key from a variable is a key: being set is what counts (its value is secret and unknown).
    // A live PBS storage shows only the key's fingerprint (scan/map-storage.ts).
    const encrypted =
      bool(pbs.config, "generate_encryption_key") === true || isSet(raw(pbs.config, "encryption_key")) || isSet(raw(pbs.config, "encryption_key_fingerprint"));
    return encrypted
      ? undefined
      : `the Proxmox Backup Server storage "${storageId}" has no encryption key (neither generate_encryption_key nor encryption_key)`;
  }
  const plain = ctx.ofType(T.plainStorage).find((s) => str(s.config, "id") === storageId);
  if (plain)
    return `storage "${storageId}" is a ${plain.type.replace(/^proxmox_(virtual_environment_)?storage_/, "")} storage, which PVE cannot encrypt on the client`;
  if (BUILT_IN_STORAGES.has(storageId))
    return `storage "${storageId}" is PVE's built-in ${storageId === "local" ? "directory" : "LVM-thin"} storage, which PVE cannot encrypt on the client`;
  return unevaluable(
    job.config,
    "storage",
    `no storage definition the policy can read names "${storageId}" (the stack defines none, or a scan token may not audit it, or its type has no provider resource), so whether its backups are encrypted cannot be seen — declare backups.pbs in the environment (or define the storage in the stack)`,
  );
}

function jobLabel(job: PolicyResource): string {
  return `backup job ${JSON.stringify(raw(job.config, "id") ?? job.address)}`;
}

/** PVE-OPS-009: prod backups are encrypted on the client before they leave the cluster. */
export const rule: PolicyRule = {
  id: "PVE-OPS-009",
  severity: "error",
  description:
    "Prod backup jobs (of a prod stack, or selecting a prod VM) write to a Proxmox Backup Server storage with client-side encryption (an encryption key on the storage); a job onto a storage no definition names cannot be evaluated.",
  remediation:
    "Target a PbsStorage with its default PbsEncryption.generated() (or PbsEncryption.key from a sensitive variable), and keep an offline copy of the key.",
  mappings: [CIS.protectRecoveryData],
  check(ctx) {
    return ctx.each(ctx.ofType(T.backupJob), (job) => {
      if (bool(job.config, "enabled") === false || !isProdJob(ctx, job)) return [];
      // A job without storage writes to `local` (pve-manager PVE::VZDump::get_storage_param).
      const storageId = str(job.config, "storage") ?? "local";
      const why = unencryptedBecause(ctx, job, storageId);
      return why ? [{ subject: job.construct, message: `prod ${jobLabel(job)} is not encrypted on the client: ${why}.` }] : [];
    });
  },
};
