import { splitList } from "../pve-formats";
import type { SimState } from "../sim-state";
import { freeVolume, imageOwner, tryParseVolumeId } from "../storage/volumes";
import { Drive, isCdrom, isCloudinit, parseDrive, sortDriveKeys } from "./drive";
import type { VmRecord } from "./vm-store";

/** PVE's `get_unique_tags` with default tag style: lower-cased, sorted, deduplicated, `;`-joined. */
export function uniqueTags(value: string): string {
  return [...new Set(splitList(value).map((t) => t.toLowerCase()))].sort().join(";");
}

/** A random RFC 4122 version-4 UUID drawn from the seeded generator. */
export function newUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Whether `volid` is an image owned by `vmid` (PVE's `vm_is_volid_owner`). */
export function ownsVolume(vmid: number, volid: string): boolean {
  const id = tryParseVolumeId(volid);
  return !!id && imageOwner(id.volname)?.vmid === vmid;
}

/** PVE's `add_unused_volume`: records a detached volume as the first free `unusedN`. */
export function addUnusedVolume(conf: Record<string, string>, volid: string): void {
  for (const [k, v] of Object.entries(conf)) if (/^unused\d+$/.test(k) && v === volid) return;
  let i = 0;
  while (conf[`unused${i}`] !== undefined) i++;
  conf[`unused${i}`] = volid;
}

/**
 * Removes a drive from the config of a stopped VM as PVE does: a cloud-init drive's volume is
 * freed, an owned disk becomes `unusedN`, CD-ROMs just go. Deleting an `unusedN` key frees its
 * volume (PVE's `try_deallocate_drive`; a base volume still backing clones is kept).
 */
export function detachDrive(state: SimState, vm: VmRecord, key: string, drive: Drive, unusedKey: boolean): void {
  const conf = vm.conf;
  if (unusedKey || isCloudinit(drive)) {
    if (ownsVolume(vm.vmid, drive.file) || isCloudinit(drive)) {
      try {
        freeVolume(state, vm.node, drive.file);
      } catch {
        // PVE warns and keeps the config change
      }
    }
  } else if (!isCdrom(drive) && ownsVolume(vm.vmid, drive.file)) {
    addUnusedVolume(conf, drive.file);
  }
  delete conf[key];
}

/** Every volume a VM's config references (drives and unused disks), cloud-init included, CD-ROMs excluded. */
export function vmVolumes(vm: VmRecord): Array<{ key: string; drive: Drive }> {
  const out: Array<{ key: string; drive: Drive }> = [];
  const keys = [...sortDriveKeys(Object.keys(vm.conf)), ...Object.keys(vm.conf).filter((k) => /^unused\d+$/.test(k))];
  for (const key of keys) {
    let drive: Drive;
    try {
      drive = parseDrive(key, vm.conf[key]);
    } catch {
      continue;
    }
    if (isCdrom(drive, true) || !tryParseVolumeId(drive.file)) continue;
    out.push({ key, drive });
  }
  return out;
}

/** Size in bytes of the first boot disk (PVE's `bootdisk_size`), or undefined. */
export function bootDiskSize(vm: VmRecord): number | undefined {
  const order = /(?:^|,)order=([^,]*)/.exec(vm.conf.boot ?? "")?.[1]?.split(";") ?? [];
  const candidates = order.length ? order : vm.conf.bootdisk ? [vm.conf.bootdisk] : [];
  for (const key of candidates) {
    if (vm.conf[key] === undefined || !/^(ide|scsi|virtio|sata)\d+$/.test(key)) continue;
    let drive: Drive;
    try {
      drive = parseDrive(key, vm.conf[key]);
    } catch {
      continue;
    }
    if (isCdrom(drive)) continue;
    return drive.size !== undefined ? Number(drive.size) : undefined;
  }
  return undefined;
}

/** Memory in MiB of a config (`memory: 2048` or `current=2048`; 512 by default). */
export function memoryMiB(conf: Readonly<Record<string, string>>): number {
  const m = /(?:^|current=)(\d+)/.exec(conf.memory ?? "");
  return m ? Number(m[1]) : 512;
}
