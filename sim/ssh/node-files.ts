import * as crypto from "crypto";
import type { SimState } from "../sim-state";
import { storageDefs, StorageDef } from "../storage/storage-config";
import { findVolume, putFile } from "../storage/volumes";
import type { Volume } from "../storage/storage-config";

/**
 * The content directories of a directory storage, as PVE's `get_subdir` (pve-storage
 * `PVE::Storage::Plugin`) lays them out under the storage path: the provider's file resource
 * uploads to `<path>/<content type>/<file>` (`dump` for backups).
 */
const SUBDIRS: ReadonlyArray<{ readonly dir: string; readonly content: string }> = [
  { dir: "snippets", content: "snippets" },
  { dir: "template/iso", content: "iso" },
  { dir: "template/cache", content: "vztmpl" },
  { dir: "import", content: "import" },
  { dir: "dump", content: "backup" },
];

/** Largest file the SSH endpoint accepts (files are held in memory until they are closed). */
export const MAX_UPLOAD_BYTES = 64 * 1024 ** 2;

/** A host path of a node resolved to a file of a simulated storage. */
export interface NodeFile {
  readonly storeid: string;
  readonly content: string;
  readonly filename: string;
}

function dirStorages(state: SimState, node: string): StorageDef[] {
  return storageDefs(state).filter((d) => d.type === "dir" && (!d.nodes || d.nodes.includes(node)));
}

function storagePath(def: StorageDef): string {
  return def.path ?? `/mnt/pve/${def.storage}`;
}

/** Collapses `//` and `/./`; a `..` segment is refused (undefined), not resolved. */
function normalise(p: string): string | undefined {
  if (!p.startsWith("/") || p.includes("\0")) return undefined;
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes("..")) return undefined;
  return `/${parts.join("/")}`;
}

/** Whether `p` is a directory of the simulated node: an ancestor of, or, a storage content directory. */
export function isNodeDirectory(state: SimState, node: string, p: string): boolean {
  const n = normalise(p);
  if (n === undefined) return false;
  for (const def of dirStorages(state, node)) {
    const base = storagePath(def);
    const dirs = [base, ...SUBDIRS.map((s) => `${base}/${s.dir}`), `${base}/template`];
    for (const d of dirs) if (d === n || d.startsWith(`${n === "/" ? "" : n}/`)) return true;
  }
  return false;
}

/**
 * The storage file a host path names (`/var/lib/vz/snippets/u.yaml` → `local`, `snippets`,
 * `u.yaml`), when it lies directly in a content directory the storage is configured for.
 */
export function nodeFileAt(state: SimState, node: string, p: string): NodeFile | undefined {
  const n = normalise(p);
  if (n === undefined) return undefined;
  for (const def of dirStorages(state, node)) {
    for (const sub of SUBDIRS) {
      const prefix = `${storagePath(def)}/${sub.dir}/`;
      if (!n.startsWith(prefix)) continue;
      const filename = n.slice(prefix.length);
      if (filename === "" || filename.includes("/") || !def.content.includes(sub.content)) return undefined;
      return { storeid: def.storage, content: sub.content, filename };
    }
  }
  return undefined;
}

/** The volume behind a host path, if one was stored there. */
export function volumeAt(state: SimState, node: string, p: string): Volume | undefined {
  const f = nodeFileAt(state, node, p);
  return f && findVolume(state, node, `${f.storeid}:${f.content}/${f.filename}`);
}

/** Listing format of a stored file, as pve-storage's `get_subdir_files` reports it. */
function formatOf(content: string, filename: string): string {
  if (content === "snippets") return "snippet";
  if (content === "iso") return "iso";
  const m = /\.(ova|qcow2|raw|vmdk|tar|tar\.gz|tar\.xz|tar\.zst|tar\.bz2|vma(?:\.(?:gz|lzo|zst))?)$/i.exec(filename);
  if (!m) return "raw";
  const ext = m[1].toLowerCase();
  return ext.startsWith("tar.") ? `t${ext.slice(4)}` : ext;
}

/** Stores a file written over SSH as a volume of its storage (replacing an older one); returns the volume id. */
export function storeNodeFile(state: SimState, node: string, file: NodeFile, data: Buffer): string {
  const checksums = { sha256: crypto.createHash("sha256").update(data).digest("hex") };
  return putFile(state, node, file.storeid, file.content, file.filename, { format: formatOf(file.content, file.filename), size: data.length, checksums });
}
