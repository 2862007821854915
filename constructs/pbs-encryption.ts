import { checkSecretToken } from "./input-checks";

/** How a {@link PbsStorage} encrypts backups on the client (PVE) before they reach the server. */
export class PbsEncryption {
  /**
   * PVE generates the key (`encryption-key=autogen`, `proxmox-backup-client key create --kdf none`)
   * and keeps it in /etc/pve/priv/storage/<id>.enc. The provider returns it once, at create, as
   * the sensitive `generated_encryption_key`, so it is in the Terraform state: the state must be
   * protected like the key itself. PbsStorage exports it as a sensitive output for an offline copy.
   */
  static generated(): PbsEncryption {
    return new PbsEncryption("generated");
  }

  /**
   * An existing PBS key (the JSON of `proxmox-backup-client key create`), given as exactly one token —
   * a sensitive TerraformVariable (`TF_VAR_…`) — never as a literal nor text around a token: the literal would be in the
   * synthesised JSON. It is in the Terraform state too (the provider keeps `encryption_key`).
   */
  static key(keyJson: string): PbsEncryption {
    checkSecretToken("PbsEncryption.key", "keyJson", keyJson);
    return new PbsEncryption("given", keyJson);
  }

  /**
   * No client-side encryption: the PBS server (and whoever holds its disks) can read every backup.
   * `reason` says why; a prod backup job onto such a storage is reported by PVE-OPS-009.
   */
  static unencrypted(reason: string): PbsEncryption {
    if (reason.trim().length < 10)
      throw new Error(`PbsEncryption.unencrypted: say why backups stay readable on the server (at least 10 characters), got "${reason}".`);
    return new PbsEncryption("none", undefined, reason);
  }

  private constructor(
    /** `generated`, `given` (a key from a variable) or `none`. */
    readonly kind: "generated" | "given" | "none",
    /** The key token of `given`. */
    readonly keyJson?: string,
    /** Why `none` was chosen. */
    readonly reason?: string,
  ) {}
}
