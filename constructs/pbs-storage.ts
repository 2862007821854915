import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { StoragePbs } from "../.gen/providers/proxmox/storage-pbs";
import { checkSecretToken } from "./input-checks";
import { literalText } from "./literal-text";
import { PbsEncryption } from "./pbs-encryption";

/** Props of {@link PbsStorage}. */
export interface PbsStorageProps {
  /** PVE storage id (letters, digits, `-`, `_`, `.`; starts with a letter). */
  readonly storageId: string;
  /** DNS name or address of the Proxmox Backup Server. */
  readonly server: string;
  /** Datastore on the server. */
  readonly datastore: string;
  /** PBS user or API token id, e.g. `backup@pbs` or `backup@pbs!pve`. */
  readonly username: string;
  /** The password or token secret: exactly one token (a sensitive TerraformVariable's value), never a literal nor text around a token. */
  readonly password: string;
  /**
   * SHA-256 fingerprint of the server's TLS certificate; needed unless the certificate is trusted.
   * @default none (the server's certificate must be trusted by the PVE nodes)
   */
  readonly fingerprint?: string;
  /** PBS namespace. @default the datastore's root namespace */
  readonly namespace?: string;
  /** Nodes that use the storage. @default all nodes */
  readonly nodes?: readonly string[];
  /**
   * Client-side encryption of the backups. Not encrypting takes {@link PbsEncryption.unencrypted}
   * with a reason, and PVE-OPS-009 reports prod backup jobs onto such a storage.
   * @default PbsEncryption.generated()
   */
  readonly encryption?: PbsEncryption;
}

/**
 * A Proxmox Backup Server storage on the PVE cluster, with client-side encryption: PVE encrypts
 * every chunk before it leaves the node, so the backup server stores ciphertext only. Neither the
 * password nor a key appears in the synthesised JSON.
 */
export class PbsStorage extends Construct {
  /** The provider resource. */
  readonly resource: StoragePbs;
  /** Storage id, as a reference (a backup job using it is created after the storage). */
  readonly storageId: string;
  /** How backups are encrypted. */
  readonly encryption: PbsEncryption;
  /** Sensitive output `pbs_key_<storage id>` (`-`, `.` as `_`) holding the generated key (only with {@link PbsEncryption.generated}). */
  readonly keyOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: PbsStorageProps) {
    super(scope, id);
    const owner = `PbsStorage "${id}"`;
    if (!/^[A-Za-z][A-Za-z0-9_.-]{1,99}$/.test(props.storageId)) {
      throw new Error(`${owner}: storageId "${props.storageId}" must start with a letter and use letters, digits, -, _ and . (2-100).`);
    }
    checkSecretToken(owner, "password", props.password);
    this.encryption = props.encryption ?? PbsEncryption.generated();
    const enc = this.encryption;
    this.resource = new StoragePbs(
      this,
      "storage",
      literalText({
        id: props.storageId,
        server: props.server,
        datastore: props.datastore,
        username: props.username,
        password: props.password,
        content: ["backup"],
        ...(props.fingerprint !== undefined ? { fingerprint: props.fingerprint } : {}),
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        ...(props.nodes?.length ? { nodes: [...props.nodes] } : {}),
        ...(enc.kind === "generated" ? { generateEncryptionKey: true } : {}),
        ...(enc.kind === "given" ? { encryptionKey: enc.keyJson } : {}),
      }),
    );
    this.storageId = this.resource.id;
    if (enc.kind === "generated") {
      this.keyOutput = new TerraformOutput(
        this,
        "encryption-key",
        literalText({
          value: this.resource.generatedEncryptionKey,
          sensitive: true,
          description: `PBS encryption key of storage ${props.storageId}: keep an offline copy (docs/data-protection.md, Encrypted backups)`,
        }),
      );
      // A stable name to export it by: `terraform output -raw pbs_key_<storage id>`.
      this.keyOutput.overrideLogicalId(`pbs_key_${props.storageId.replace(/[.-]/g, "_")}`);
    }
  }
}
