import { authId } from "../access-model";
import type { SimContext } from "../context";
import { requirePrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { createBase, allocImage, findVolume, freeVolume, parseVolumeId, resizeVolume } from "../storage/volumes";
import { defaultFormat, requireStorage, validFormats } from "../storage/storage-config";
import { Drive, isCdrom, parseDrive, printDrive } from "../qemu/drive";
import { LOCK_TIMEOUT_MS, storageLockPath, vmLockPath } from "../qemu/flock";
import { underStorageLock } from "../qemu/storage-lock";
import { startJobTask } from "../qemu/task-job";
import { addUnusedVolume } from "../qemu/vm-conf";
import { checkLock, configDigest, isTemplate, loadVm, VmRecord } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { requireNode } from "./nodes";

function isRoot(req: ApiRequest): boolean {
  return req.auth.userid === "root@pam" && !req.auth.tokenid;
}

/** The drive `disk` of a VM, with PVE's errors for a missing one or one without a volume. */
function diskOf(vm: VmRecord, disk: string): Drive {
  if (!vm.conf[disk]) throw new PveError(500, `disk '${disk}' does not exist`);
  const drive = parseDrive(disk, vm.conf[disk]);
  if (!drive.file) throw new PveError(500, `disk '${disk}' has no associated volume`);
  return drive;
}

/** The new size of a resize request: `+2G` grows, `16G` or `17179869184` sets (PVE's size grammar). */
function requestedSize(sizestr: string, current: number): number {
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/.exec(sizestr);
  if (!m) throw new PveError(500, "internal error");
  let size = Number(m[2]) * 1024 ** (m[3] ? "KMGT".indexOf(m[3]) + 1 : 0);
  if (m[1]) size += current;
  return Math.trunc(size);
}

/**
 * `PUT …/resize`: a `resize` task that, under the config lock, grows the disk's volume — under the
 * storage lock for the allocation latency only, as pve-storage's `volume_resize` wraps `lvextend`
 * in `cluster_lock_storage` (LVMPlugin) — and sets `size=` in the config. Like PVE it checks nothing before forking, so a missing VM or disk is a
 * failed task; shrinking fails with `shrinking disks is not supported`.
 */
function resize(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  if (req.args.skiplock === "1" && !isRoot(req)) throw parameterError({ skiplock: "Only root may use this option." });
  const vmid = Number(req.params.vmid);
  const { disk, size, digest } = req.args;
  return startJobTask(
    sim,
    { node, type: "resize", id: String(vmid), user: authId(req.auth) },
    {
      locks: [{ path: vmLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
      commit: async () => {
        const vm = loadVm(sim.state, node, vmid);
        if (digest && digest !== configDigest(vm.conf)) throw new PveError(500, "checksum mismatch (file change by other user?)");
        if (req.args.skiplock !== "1") checkLock(vm);
        const drive = diskOf(vm, disk);
        if (isCdrom(drive)) throw new PveError(500, "you can't resize a cdrom");
        const { storeid } = parseVolumeId(drive.file);
        if (!isRoot(req)) requirePrivs(req, sim, `/storage/${storeid}`, ["Datastore.AllocateSpace"]);
        const vol = findVolume(sim.state, node, drive.file);
        if (!vol) throw new PveError(500, `Could not determine current size of volume '${drive.file}'`);
        const newsize = requestedSize(size, vol.size);
        if (newsize < vol.size) throw new PveError(500, "shrinking disks is not supported");
        if (newsize === vol.size) return;
        await underStorageLock(sim, node, storeid, () => resizeVolume(sim.state, node, drive.file, newsize));
        drive.size = String(newsize);
        vm.conf[disk] = printDrive(disk, drive);
      },
    },
  );
}

/**
 * `POST …/move_disk`: moves a disk to another storage (optionally another format) in a `qmmove`
 * task under the config lock; the old volume is freed with `delete=1`, else kept as `unusedN`.
 * Moving to the same storage and format fails at once like PVE (the provider treats that as done).
 */
function moveDisk(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const { disk, storage, format, digest } = req.args;
  if (req.args["target-vmid"] !== undefined || req.args["target-disk"] !== undefined) {
    throw new PveError(501, "moving a disk to another VM is not simulated");
  }
  if (!storage) throw parameterError({ storage: "property is missing and it is not optional" });
  const loadAndCheck = (): { vm: VmRecord; drive: Drive } => {
    const vm = loadVm(sim.state, node, vmid);
    checkLock(vm);
    if (digest && digest !== configDigest(vm.conf)) throw new PveError(500, "detected modified configuration - file changed by other user? Try again.");
    const drive = diskOf(vm, disk);
    if (isCdrom(drive, true)) throw new PveError(500, "you can't move a cdrom");
    const old = parseVolumeId(drive.file);
    const oldfmt = /\.(raw|qcow2|vmdk)$/.exec(old.volname)?.[1];
    if (old.storeid === storage && (!format || !oldfmt || oldfmt === format)) throw new PveError(500, "you can't move to the same storage with same format");
    return { vm, drive };
  };
  loadAndCheck();
  if (!isRoot(req)) requirePrivs(req, sim, `/storage/${storage}`, ["Datastore.AllocateSpace"]);
  return startJobTask(
    sim,
    { node, type: "qmmove", id: String(vmid), user: authId(req.auth) },
    {
      locks: [
        { path: vmLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config },
        { path: storageLockPath(storage), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.storage, node },
      ],
      commit: () => {
        const { vm, drive } = loadAndCheck();
        const def = requireStorage(sim.state, storage, node);
        const src = findVolume(sim.state, node, drive.file);
        if (!src) throw new PveError(500, `volume '${drive.file}' does not exist`);
        let fmt = format ?? src.format;
        if (!validFormats(def).includes(fmt)) fmt = defaultFormat(def);
        let volid = allocImage(sim.state, node, storage, vmid, fmt, undefined, src.size);
        if (isTemplate(vm)) volid = createBase(sim.state, node, volid);
        const oldVolid = drive.file;
        const moved: Drive = { ...drive, file: volid, size: String(src.size) };
        delete moved.format;
        vm.conf[disk] = printDrive(disk, moved);
        if (req.args.delete === "1") freeVolume(sim.state, node, oldVolid);
        else addUnusedVolume(vm.conf, oldVolid);
      },
    },
  );
}

/** Disk resize and move. */
export const qemuDiskRoutes: Route[] = [
  route("PUT", "/nodes/{node}/qemu/{vmid}/resize", resize),
  route("POST", "/nodes/{node}/qemu/{vmid}/move_disk", moveDisk),
];
