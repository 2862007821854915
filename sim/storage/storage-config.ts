import { PveError } from "../pve-error";
import type { SimState } from "../sim-state";

/** Storage plugin types the simulator models. */
export type StorageType = "dir" | "lvmthin" | "pbs";

/** One entry of `/etc/pve/storage.cfg`. */
export interface StorageDef {
  /** Storage id, e.g. `local-lvm`. */
  readonly storage: string;
  readonly type: StorageType;
  /** Content types the storage accepts (`images`, `iso`, `import`, …). */
  readonly content: readonly string[];
  /** Mount path of a `dir` storage. */
  readonly path?: string;
  /** Volume group and thin pool of an `lvmthin` storage. */
  readonly vgname?: string;
  readonly thinpool?: string;
  /** Whether every node sees the same volumes (none of the defaults is). */
  readonly shared: boolean;
  /** Capacity reported by `status`, in bytes. */
  readonly totalBytes: number;
  /** Nodes the storage is available on; all nodes when absent. */
  readonly nodes?: readonly string[];
  /** `disable` of storage.cfg. */
  readonly disable?: boolean;
  /** A Proxmox Backup Server storage: where it is and how PVE reaches it (no secret). */
  readonly pbs?: PbsTarget;
}

/**
 * The storage.cfg part of a `pbs` storage. The password and the encryption key live in
 * /etc/pve/priv/storage/<id>.pw and <id>.enc on PVE and are never answered: the simulator keeps
 * only whether a password is set and the key's fingerprint (PBSPlugin::on_add_hook writes
 * `encryption-key = <fingerprint>` into storage.cfg).
 */
export interface PbsTarget {
  readonly server: string;
  readonly datastore: string;
  readonly username?: string;
  readonly namespace?: string;
  readonly port?: string;
  /** SHA-256 fingerprint of the PBS server's TLS certificate. */
  readonly fingerprint?: string;
  /** Fingerprint of the client-side encryption key (storage.cfg `encryption-key`); absent = no encryption. */
  readonly encryptionKey?: string;
  /** Whether /etc/pve/priv/storage/<id>.pw exists. */
  readonly passwordSet: boolean;
  /** Whether a master public key is configured (storage.cfg `master-pubkey = 1`). */
  readonly masterPubkey?: boolean;
  readonly pruneBackups?: string;
  readonly maxProtectedBackups?: string;
}

const GiB = 1024 ** 3;

/**
 * A fresh PVE install: `local` (a directory; here with `import` and `snippets` enabled, as
 * cloud-image workflows need) and `local-lvm` (the LVM-thin pool `pve/data`).
 */
export const DEFAULT_STORAGES: readonly StorageDef[] = [
  { storage: "local", type: "dir", path: "/var/lib/vz", content: ["backup", "import", "iso", "snippets", "vztmpl"], shared: false, totalBytes: 100 * GiB },
  { storage: "local-lvm", type: "lvmthin", vgname: "pve", thinpool: "data", content: ["images", "rootdir"], shared: false, totalBytes: 400 * GiB },
];

/** The storage slice: definitions plus, per node and storage, the volumes by volume name. */
export interface StorageSlice {
  defs: StorageDef[];
  volumes: Record<string, Record<string, Record<string, Volume>>>;
}

/** A volume (disk image, ISO, template, import image, snippet) as the simulator tracks it. */
export interface Volume {
  /** Name inside the storage: `vm-100-disk-0`, `100/vm-100-disk-0.qcow2`, `import/debian.qcow2`. */
  volname: string;
  /** Content type: `images`, `iso`, `vztmpl`, `import`, `snippets`, `backup`. */
  content: string;
  /** `raw`, `qcow2`, `vmdk`, `iso`, `tzst`, … */
  format: string;
  /** Size in bytes: virtual size of images, file size of files. */
  size: number;
  /** Virtual size of an importable disk image (qcow2 header), when it differs from the file size. */
  virtualSize?: number;
  /** Owning VM of an image. */
  vmid?: number;
  /** Base volume name of a linked clone. */
  parent?: string;
  /** Creation time, seconds since the epoch. */
  ctime: number;
  /** Known digests of the file content (lower-case hex by algorithm), for checksum checks. */
  checksums?: Record<string, string>;
}

/** The storage slice of the state, created with the default storages on first use. */
export function storageSlice(state: SimState): StorageSlice {
  return state.slice<StorageSlice>("storage", () => ({ defs: DEFAULT_STORAGES.map((d) => ({ ...d })), volumes: {} }));
}

/** Every storage definition. */
export function storageDefs(state: SimState): readonly StorageDef[] {
  return storageSlice(state).defs;
}

/** A storage definition, or undefined. */
export function findStorage(state: SimState, storeid: string): StorageDef | undefined {
  return storageDefs(state).find((d) => d.storage === storeid);
}

/** Whether the storage is usable on `node`. */
export function availableOn(def: StorageDef, node: string): boolean {
  return !def.nodes || def.nodes.includes(node);
}

/**
 * PVE's `storage_check_enabled`: the definition, or the error PVE raises for an unknown storage
 * (`storage 'x' does not exist`) or one not configured for the node.
 */
export function requireStorage(state: SimState, storeid: string, node: string): StorageDef {
  const def = findStorage(state, storeid);
  if (!def) throw new PveError(500, `storage '${storeid}' does not exist`);
  if (!availableOn(def, node)) throw new PveError(500, `storage '${storeid}' is not available on node '${node}'`);
  return def;
}

/** Default image format of a storage: `qcow2` on directories, `raw` on LVM-thin. */
export function defaultFormat(def: StorageDef): string {
  return def.type === "dir" ? "qcow2" : "raw";
}

/** Image formats a storage can hold. */
export function validFormats(def: StorageDef): readonly string[] {
  return def.type === "dir" ? ["raw", "qcow2", "vmdk"] : ["raw"];
}

/** Whether the storage is configured for a content type. */
export function hasContent(def: StorageDef, content: string): boolean {
  return def.content.includes(content);
}

/** Host path of a file-based volume, or the device node of an LVM volume. */
export function volumePath(def: StorageDef, volname: string, content: string): string {
  if (def.type === "lvmthin") return `/dev/${def.vgname}/${volname}`;
  const base = def.path ?? `/mnt/pve/${def.storage}`;
  switch (content) {
    case "images":
      return `${base}/images/${volname}`;
    case "iso":
    case "vztmpl":
      return `${base}/template/${content === "iso" ? "iso" : "cache"}/${volname.replace(/^[^/]+\//, "")}`;
    case "backup":
      return `${base}/dump/${volname.replace(/^[^/]+\//, "")}`;
    default:
      return `${base}/${volname}`;
  }
}
