import type { PolicyContext } from "../context";
import type { PolicyResource } from "../policy-resource";
import { T } from "../resource-types";
import { CIS, PolicyRule } from "../rule";
import { bool, isSet, raw, str } from "../values";

/** The storages of a fresh PVE install (a directory and an LVM-thin pool): never client-side encrypted. */
const BUILT_IN_STORAGES = new Set(["local", "local-lvm"]);

/**
 * Why backups onto `storageId` are not encrypted on the client, or undefined when they are — or
 * when the storage is defined outside the stack, where its encryption cannot be seen.
 */
function unencryptedBecause(ctx: PolicyContext, storageId: string): string | undefined {
  const pbs = ctx.ofType(T.pbsStorage).find((s) => str(s.config, "id") === storageId);
  if (pbs) {
    // A key from a variable is a key: being set is what counts (its value is secret and unknown).
    const encrypted = bool(pbs.config, "generate_encryption_key") === true || isSet(raw(pbs.config, "encryption_key"));
    return encrypted
      ? undefined
      : `the Proxmox Backup Server storage "${storageId}" has no encryption key (neither generate_encryption_key nor encryption_key)`;
  }
  const plain = ctx.ofType(T.plainStorage).find((s) => str(s.config, "id") === storageId);
  if (plain)
    return `storage "${storageId}" is a ${plain.type.replace(/^proxmox_(virtual_environment_)?storage_/, "")} storage, which PVE cannot encrypt on the client`;
  if (BUILT_IN_STORAGES.has(storageId))
    return `storage "${storageId}" is PVE's built-in ${storageId === "local" ? "directory" : "LVM-thin"} storage, which PVE cannot encrypt on the client`;
  return undefined;
}

function jobLabel(job: PolicyResource): string {
  return `backup job ${JSON.stringify(raw(job.config, "id") ?? job.address)}`;
}

/** PVE-OPS-009: prod backups are encrypted on the client before they leave the cluster. */
export const rule: PolicyRule = {
  id: "PVE-OPS-009",
  severity: "error",
  description: "Prod backup jobs write to a Proxmox Backup Server storage with client-side encryption (an encryption key on the storage).",
  remediation:
    "Target a PbsStorage with its default PbsEncryption.generated() (or PbsEncryption.key from a sensitive variable), and keep an offline copy of the key.",
  mappings: [CIS.protectRecoveryData],
  terraformOnly:
    "the scan does not read storage definitions yet, so it cannot tell a backup job's PBS target with an encryption key from one without (PVE shows only the key's fingerprint in GET /storage/{storage}).",
  check(ctx) {
    return ctx.each(ctx.ofType(T.backupJob), (job) => {
      if (ctx.stageOf(job) !== "prod" || bool(job.config, "enabled") === false) return [];
      // A job without storage writes to `local` (pve-manager PVE::VZDump::get_storage_param).
      const storageId = str(job.config, "storage") ?? "local";
      const why = unencryptedBecause(ctx, storageId);
      return why ? [{ subject: job.construct, message: `prod ${jobLabel(job)} is not encrypted on the client: ${why}.` }] : [];
    });
  },
};
