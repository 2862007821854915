import { parameterError, PveError } from "../pve-error";
import type { SimState } from "../sim-state";
import { defaultFormat, findStorage, requireStorage, validFormats } from "../storage/storage-config";
import { allocImage, cloneImage, findVolume, imageOwner, parseVolumeId } from "../storage/volumes";
import { CLOUDINIT_SIZE, Drive, isCdrom, isCloudinit, isDriveKey, parseDrive, printDrive, sortDriveKeys, TPMSTATE_SIZE } from "./drive";
import { parseNet, printNet, randomMac } from "./net";
import { newUuid } from "./vm-conf";
import { checkLock, findVm, isRunning, isTemplate, loadVm, VmRecord } from "./vm-store";

/** The parameters of `POST /nodes/{node}/qemu/{vmid}/clone` the clone itself uses. */
export interface CloneRequest {
  readonly node: string;
  readonly vmid: number;
  readonly newid: number;
  readonly name?: string;
  readonly description?: string;
  readonly full?: boolean;
  readonly storage?: string;
  readonly format?: string;
  readonly target?: string;
  readonly snapname?: string;
}

/** What PVE's `load_and_check` of `clone_vm` decided. */
export interface ClonePlan {
  readonly request: CloneRequest;
  readonly source: VmRecord;
  readonly running: boolean;
  readonly full: boolean;
  /** Node the clone will live on. */
  readonly targetNode: string;
  /** Drives to copy or link, with whether each is a full copy. */
  readonly drives: ReadonlyArray<{ readonly key: string; readonly drive: Drive; readonly copy: boolean }>;
  /** Options copied as they are (everything but drives, unused disks and snapshot data; MACs renewed later). */
  readonly copied: Readonly<Record<string, string>>;
}

/** Options clone never copies. */
const NOT_COPIED = /^(snapshots|parent|snaptime|vmstate|snapstate|runningcpu|runningmachine|running-nets-host-mtu|unused\d+)$/;

/** Whether a volume supports linked clones: base images on LVM-thin, qcow2 base images on directories. */
function canLink(state: SimState, node: string, volid: string): boolean {
  const vol = findVolume(state, node, volid);
  const { storeid, volname } = parseVolumeId(volid);
  const def = findStorage(state, storeid);
  if (!vol || !def || !imageOwner(volname)?.isBase) return false;
  return def.type === "lvmthin" || vol.format === "qcow2";
}

/**
 * PVE's `load_and_check` for a clone: the source exists here and is not locked, options are
 * compatible (`storage`/`format` only for full clones, linked clones only of base images, local
 * storage only on the same node), the new id is free. Throws PVE's errors.
 */
export function planClone(state: SimState, nodes: readonly string[], request: CloneRequest): ClonePlan {
  const target = request.target && request.target !== request.node ? request.target : undefined;
  if (target && !nodes.includes(target)) throw new PveError(500, `no such cluster node '${target}'`);
  if (request.storage) {
    const def = requireStorage(state, request.storage, request.node);
    if (!def.content.includes("images")) throw parameterError({ storage: `storage '${request.storage}' does not support vm images` });
    if (target) {
      requireStorage(state, request.storage, target);
      if (!def.shared) throw new PveError(500, `can't clone to non-shared storage '${request.storage}'`);
    }
  }
  const source = loadVm(state, request.node, request.vmid);
  checkLock(source);
  if (request.snapname) throw new PveError(500, `snapshot '${request.snapname}' does not exist`);
  const full = request.full ?? !isTemplate(source);
  if (request.storage !== undefined && !full) throw new PveError(500, "parameter 'storage' not allowed for linked clones");
  if (request.format !== undefined && !full) throw new PveError(500, "parameter 'format' not allowed for linked clones");
  const running = isRunning(source);
  let sharedvm = true;
  const drives: Array<{ key: string; drive: Drive; copy: boolean }> = [];
  const copied: Record<string, string> = {};
  for (const key of Object.keys(source.conf).sort()) {
    const value = source.conf[key];
    if (NOT_COPIED.test(key)) continue;
    if (!isDriveKey(key)) {
      copied[key] = value;
      continue;
    }
    const drive = parseDrive(key, value);
    const storeid = /^[^/:]+:/.test(drive.file) ? parseVolumeId(drive.file).storeid : undefined;
    if (storeid && !findStorage(state, storeid)?.shared) sharedvm = false;
    if (isCdrom(drive, true)) {
      copied[key] = value;
      continue;
    }
    if (full && running && key === "tpmstate0") throw new PveError(500, "cannot clone TPM state while VM is running");
    const copy = full || isCloudinit(drive) || key === "tpmstate0";
    if (!copy && !canLink(state, request.node, drive.file)) throw new PveError(500, `Linked clone feature is not supported for '${drive.file}' (${key})`);
    drives.push({ key, drive, copy });
  }
  if (target && !sharedvm) throw new PveError(500, `can't clone VM to node '${target}' (VM uses local storage)`);
  if (findVm(state, request.newid)) throw new PveError(500, `unable to create VM ${request.newid}: config file already exists`);
  return { request, source, running, full, targetNode: target ?? request.node, drives, copied };
}

/** One drive of a {@link ClonePlan}. */
export type ClonedDrive = ClonePlan["drives"][number];

/** The storage a drive's new volume is allocated on: the `storage` parameter for copies, else the source's. */
export function cloneTargetStorage(plan: ClonePlan, entry: ClonedDrive): string {
  const src = parseVolumeId(entry.drive.file).storeid;
  return entry.copy && plan.request.storage ? plan.request.storage : src;
}

/** The clone's drives in the order PVE's `clone_vm` clones them (`sort keys %$drives`). */
export function cloneOrder(plan: ClonePlan): ClonedDrive[] {
  return [...plan.drives].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * How long each drive's data copy takes (ms) when a full clone's copies share `copyMs` by size:
 * qemu-server's `clone_disk_copy_data` (`qemu-img convert`) for disks; cloud-init drives get no
 * copy (`No data needs to be copied`), linked children none at all.
 */
export function copyDurations(state: SimState, plan: ClonePlan, copyMs: number): Map<string, number> {
  const sized = plan.drives
    .filter((d) => d.copy && !isCloudinit(d.drive))
    .map((d) => ({ key: d.key, size: findVolume(state, plan.request.node, d.drive.file)?.size ?? 0 }));
  const total = sized.reduce((sum, d) => sum + d.size, 0);
  return new Map(sized.map((d) => [d.key, total > 0 ? (copyMs * d.size) / total : copyMs / sized.length]));
}

/**
 * qemu-server's `clone_disk` for one drive, the part under the storage lock: a linked child
 * (`vdisk_clone`) or a new volume of the source's size (`vdisk_alloc`; cloud-init and TPM at their
 * fixed sizes). Returns the drive option of the new VM and the volume id.
 */
export function allocateCloneVolume(state: SimState, plan: ClonePlan, entry: ClonedDrive): { value: string; volid: string } {
  const { request } = plan;
  const { key, drive, copy } = entry;
  const newid = request.newid;
  const node = request.node;
  let volid: string;
  let size: number | undefined;
  if (!copy) {
    volid = cloneImage(state, node, drive.file, newid);
  } else {
    const storeid = cloneTargetStorage(plan, entry);
    const def = requireStorage(state, storeid, node);
    const srcVol = findVolume(state, node, drive.file);
    let fmt = request.format ?? srcVol?.format ?? defaultFormat(def);
    if (!validFormats(def).includes(fmt)) fmt = defaultFormat(def);
    let name: string | undefined;
    if (isCloudinit(drive)) {
      name = def.type === "dir" ? `vm-${newid}-cloudinit.${fmt}` : `vm-${newid}-cloudinit`;
      size = CLOUDINIT_SIZE;
    } else if (key === "tpmstate0") {
      fmt = "raw";
      size = TPMSTATE_SIZE;
    } else {
      if (!srcVol) throw new PveError(500, `volume '${drive.file}' does not exist`);
      size = srcVol.size;
    }
    volid = allocImage(state, node, storeid, newid, fmt, name, size);
  }
  const newDrive: Drive = { ...drive, file: volid };
  delete newDrive.format;
  if (size !== undefined && !isCloudinit(drive)) newDrive.size = String(findVolume(state, node, volid)?.size ?? size);
  return { value: printDrive(key, newDrive), volid };
}

/**
 * The new VM's config once every drive is cloned: the copied options with fresh MACs, a new
 * SMBIOS UUID (and vmgenid when set), no `template`, name `Copy-of-VM-<name>` unless given.
 */
export function clonedConfig(plan: ClonePlan, drives: Readonly<Record<string, string>>, random: () => number): Record<string, string> {
  const { request, source } = plan;
  const conf: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.copied)) {
    conf[key] = /^net\d+$/.test(key) ? printNet(key, { ...parseNet(key, value, random), macaddr: randomMac(random) }) : value;
  }
  Object.assign(conf, drives);
  const smbios = (conf.smbios1 ?? "").split(",").filter((p) => p !== "" && !p.startsWith("uuid="));
  conf.smbios1 = [...smbios, `uuid=${newUuid(random)}`].sort((a, b) => (a < b ? -1 : 1)).join(",");
  if (conf.vmgenid) conf.vmgenid = newUuid(random);
  delete conf.template;
  delete conf.lock;
  conf.name = request.name || `Copy-of-VM-${source.conf.name ?? source.vmid}`;
  if (request.description) conf.description = request.description;
  return conf;
}

/** Drives of a VM that `template_create` turns into base volumes (not CD-ROMs or cloud-init). */
export function templateDrives(vm: VmRecord, disk?: string): string[] {
  return sortDriveKeys(Object.keys(vm.conf)).filter((key) => {
    if (disk && key !== disk) return false;
    const drive = parseDrive(key, vm.conf[key]);
    return !isCdrom(drive) && /^[^/:]+:/.test(drive.file) && !imageOwner(parseVolumeId(drive.file).volname)?.isBase;
  });
}
