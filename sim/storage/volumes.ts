import { PveError } from "../pve-error";
import type { SimState } from "../sim-state";
import { defaultFormat, findStorage, requireStorage, storageDefs, storageSlice, StorageDef, validFormats, Volume } from "./storage-config";
import { dict, own } from "../dict";
import { checkVolname, isValidVolname } from "./volume-name";

const MiB = 1024 ** 2;

/** PVE's `parse_volume_id`: `local-lvm:vm-100-disk-0` → storage and volume name. */
export function parseVolumeId(volid: string): { storeid: string; volname: string } {
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/is.exec(volid);
  if (!m) throw new PveError(500, `unable to parse volume ID '${volid}'`);
  return { storeid: m[1], volname: m[2] };
}

/** Like {@link parseVolumeId} but undefined for absolute paths and other non-volume values. */
export function tryParseVolumeId(volid: string): { storeid: string; volname: string } | undefined {
  try {
    return parseVolumeId(volid);
  } catch {
    return undefined;
  }
}

/** The volumes of one storage on one node (created empty on first use). */
export function storageVolumes(state: SimState, node: string, storeid: string): Record<string, Volume> {
  const byNode = (storageSlice(state).volumes[node] ??= dict());
  return (byNode[storeid] ??= dict());
}

/** The volume behind a volume id on a node, or undefined. */
export function findVolume(state: SimState, node: string, volid: string): Volume | undefined {
  const id = tryParseVolumeId(volid);
  if (!id) return undefined;
  const def = findStorage(state, id.storeid);
  if (def && !isValidVolname(def.type, id.volname)) return undefined;
  return own(own(own(storageSlice(state).volumes, node), id.storeid), id.volname);
}

/** The volume behind a volume id, or PVE's error for a missing one or a name its storage cannot parse. */
export function requireVolume(state: SimState, node: string, volid: string): Volume {
  const id = parseVolumeId(volid);
  const def = findStorage(state, id.storeid);
  if (def) checkVolname(def.type, id.volname);
  const vol = findVolume(state, node, volid);
  if (!vol) throw new PveError(500, `volume '${volid}' does not exist`);
  return vol;
}

/** Owner VM and base flag of an image volume name (`vm-100-disk-0`, `100/base-100-disk-0.qcow2`, `100/base-100-disk-0.qcow2/101/vm-101-disk-0.qcow2`). */
export function imageOwner(volname: string): { vmid: number; isBase: boolean } | undefined {
  const name = volname.split("/").pop() ?? volname;
  const m = /^(vm|base)-(\d+)-/.exec(name);
  return m ? { vmid: Number(m[2]), isBase: m[1] === "base" } : undefined;
}

/** Rounds a size the way the storage allocates it (LVM extents are 4 MiB). */
function allocatedSize(def: StorageDef, bytes: number): number {
  return def.type === "lvmthin" ? Math.ceil(bytes / (4 * MiB)) * 4 * MiB : bytes;
}

/** PVE's `find_free_diskname`: the first `vm-<vmid>-disk-<n>` not taken by a `vm-` or `base-` volume of the VM. */
function freeDiskName(volumes: Record<string, Volume>, def: StorageDef, vmid: number, fmt: string): string {
  const suffix = def.type === "dir" ? `.${fmt}` : "";
  const taken = new Set<number>();
  const re = new RegExp(`(?:vm|base)-${vmid}-disk-(\\d+)`);
  for (const volname of Object.keys(volumes)) {
    const m = re.exec(volname);
    if (m) taken.add(Number(m[1]));
  }
  for (let i = 0; i < 1000; i++) if (!taken.has(i)) return `vm-${vmid}-disk-${i}${suffix}`;
  throw new PveError(500, `unable to allocate an image name for VM ${vmid} in storage '${def.storage}'`);
}

/**
 * PVE's `vdisk_alloc`: allocates an image for `vmid` on a storage, named as the storage plugin
 * names it (LVM-thin `vm-100-disk-0`, directory `100/vm-100-disk-0.qcow2`), and returns its
 * volume id. `name` forces a name such as `vm-100-cloudinit`.
 */
export function allocImage(
  state: SimState,
  node: string,
  storeid: string,
  vmid: number,
  fmt: string | undefined,
  name: string | undefined,
  sizeBytes: number,
): string {
  const def = requireStorage(state, storeid, node);
  if (!def.content.includes("images")) throw new PveError(500, `storage '${storeid}' does not support vm images`);
  const format = fmt ?? defaultFormat(def);
  if (!validFormats(def).includes(format)) throw new PveError(500, `unsupported format '${format}'`);
  const volumes = storageVolumes(state, node, storeid);
  const base = name ?? freeDiskName(volumes, def, vmid, format);
  const volname = def.type === "dir" ? `${vmid}/${base}` : base;
  if (volumes[volname]) {
    throw new PveError(
      500,
      def.type === "dir"
        ? `disk image '${def.path}/images/${volname}' already exists`
        : `lvcreate '${def.vgname}/${volname}' error:   Logical Volume "${volname}" already exists in volume group "${def.vgname}"`,
    );
  }
  volumes[volname] = { volname, content: "images", format, size: allocatedSize(def, sizeBytes), vmid, ctime: nowSeconds() };
  return `${storeid}:${volname}`;
}

/** Changes the size of an image as `volume_resize` does (rounded to LVM extents). */
export function resizeVolume(state: SimState, node: string, volid: string, sizeBytes: number): number {
  const { storeid } = parseVolumeId(volid);
  const def = requireStorage(state, storeid, node);
  const vol = requireVolume(state, node, volid);
  vol.size = allocatedSize(def, sizeBytes);
  return vol.size;
}

/** Whether a base volume still backs linked clones on its storage. */
export function baseInUse(state: SimState, node: string, volid: string): boolean {
  const { storeid, volname } = parseVolumeId(volid);
  return Object.values(storageVolumes(state, node, storeid)).some((v) => v.parent === volname);
}

/**
 * PVE's `vdisk_free`: removes a volume. Base volumes still used by linked clones are refused with
 * PVE's message.
 */
export function freeVolume(state: SimState, node: string, volid: string): void {
  const { storeid, volname } = parseVolumeId(volid);
  const volumes = storageVolumes(state, node, storeid);
  if (!volumes[volname]) throw new PveError(500, `volume '${volid}' does not exist`);
  if (baseInUse(state, node, volid)) throw new PveError(500, `base volume '${volname}' is still in use by linked clones`);
  delete volumes[volname];
}

/** PVE's `vdisk_create_base`: renames `vm-100-disk-0` to `base-100-disk-0` and returns the new volume id. */
export function createBase(state: SimState, node: string, volid: string): string {
  const { storeid, volname } = parseVolumeId(volid);
  const volumes = storageVolumes(state, node, storeid);
  const vol = volumes[volname];
  if (!vol) throw new PveError(500, `volume '${volid}' does not exist`);
  if (imageOwner(volname)?.isBase) throw new PveError(500, "create_base not possible with base image");
  const newname = volname.replace(/(^|\/)vm-(\d+-)/, "$1base-$2");
  delete volumes[volname];
  volumes[newname] = { ...vol, volname: newname };
  return `${storeid}:${newname}`;
}

/**
 * PVE's `vdisk_clone` (linked clone): a copy-on-write child of a base volume, named as the plugin
 * names it (LVM-thin `vm-101-disk-0`, directory `100/base-100-disk-0.qcow2/101/vm-101-disk-0.qcow2`).
 */
export function cloneImage(state: SimState, node: string, baseVolid: string, vmid: number): string {
  const { storeid, volname } = parseVolumeId(baseVolid);
  const def = requireStorage(state, storeid, node);
  const volumes = storageVolumes(state, node, storeid);
  const base = volumes[volname];
  if (!base) throw new PveError(500, `volume '${baseVolid}' does not exist`);
  if (!imageOwner(volname)?.isBase) throw new PveError(500, "clone_image only works on base images");
  const name = freeDiskName(volumes, def, vmid, base.format);
  const newname = def.type === "dir" ? `${volname}/${vmid}/${name}` : name;
  volumes[newname] = { volname: newname, content: "images", format: base.format, size: base.size, vmid, parent: volname, ctime: nowSeconds() };
  return `${storeid}:${newname}`;
}

/**
 * Moves an image to another node (and optionally another storage), as storage migration does:
 * the same volume name when free there, else the next free disk name. Returns the new volume id.
 */
export function migrateVolume(state: SimState, fromNode: string, volid: string, toNode: string, toStoreid?: string): string {
  const { storeid, volname } = parseVolumeId(volid);
  const from = storageVolumes(state, fromNode, storeid);
  const vol = from[volname];
  if (!vol) throw new PveError(500, `volume '${volid}' does not exist`);
  const targetId = toStoreid ?? storeid;
  const def = requireStorage(state, targetId, toNode);
  const to = storageVolumes(state, toNode, targetId);
  const fmt = validFormats(def).includes(vol.format) ? vol.format : defaultFormat(def);
  const leaf = (volname.split("/").pop() as string).replace(/\.(raw|qcow2|vmdk)$/, "");
  const suffix = def.type === "dir" ? `.${fmt}` : "";
  const dir = def.type === "dir" ? `${vol.vmid}/` : "";
  const newname = to[`${dir}${leaf}${suffix}`] ? `${dir}${freeDiskName(to, def, vol.vmid ?? 0, fmt)}` : `${dir}${leaf}${suffix}`;
  delete from[volname];
  const moved: Volume = { ...vol, volname: newname, format: fmt };
  delete moved.parent;
  to[newname] = moved;
  return `${targetId}:${newname}`;
}

/** Adds a file (ISO, template, import image, snippet) to a directory storage; replaces an existing one. */
export function putFile(
  state: SimState,
  node: string,
  storeid: string,
  content: string,
  filename: string,
  file: Omit<Volume, "volname" | "content" | "ctime">,
): string {
  const volname = `${content}/${filename}`;
  checkVolname("dir", volname);
  storageVolumes(state, node, storeid)[volname] = { ...file, volname, content, ctime: nowSeconds() };
  return `${storeid}:${volname}`;
}

/** Volumes of a storage, sorted by name, optionally filtered by content type and owner. */
export function listVolumes(state: SimState, node: string, storeid: string, filter: { content?: string; vmid?: number } = {}): Volume[] {
  return Object.values(storageVolumes(state, node, storeid))
    .filter((v) => (filter.content === undefined || v.content === filter.content) && (filter.vmid === undefined || v.vmid === filter.vmid))
    .sort((a, b) => (a.volname < b.volname ? -1 : a.volname > b.volname ? 1 : 0));
}

/** Bytes used on a storage (sum of volume sizes). */
export function usedBytes(state: SimState, node: string, storeid: string): number {
  return Object.values(storageVolumes(state, node, storeid)).reduce((sum, v) => sum + v.size, 0);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * `destroy-unreferenced-disks`: frees every image of `vmid` on every storage of the node, also
 * those no config references (qemu-server's and pve-container's destroy). Failures are warnings.
 */
export function freeUnreferencedImages(state: SimState, node: string, vmid: number, warn: (message: string) => void): void {
  for (const def of storageDefs(state)) {
    for (const vol of listVolumes(state, node, def.storage, { content: "images", vmid })) {
      try {
        freeVolume(state, node, `${def.storage}:${vol.volname}`);
      } catch (e) {
        warn((e as Error).message);
      }
    }
  }
}
