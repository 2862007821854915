import { optionFormat, optionSchema, parseProps, parseSize, printProps } from "./config-schema";

/** A parsed drive option (`scsi0`, `ide2`, `efidisk0`, …): property-string keys to values, `size` in bytes. */
export type Drive = Record<string, string>;

const DRIVE_KEY = /^(?:(ide|scsi|virtio|sata)(\d+)|efidisk0|tpmstate0)$/;

/** PVE's `is_valid_drivename` (`unusedN` excluded). */
export function isDriveKey(key: string): boolean {
  return DRIVE_KEY.test(key) && optionSchema(key) !== undefined;
}

/** PVE's drive iteration order: ide, scsi, virtio, sata, efidisk0, tpmstate0, each by index. */
export function sortDriveKeys(keys: Iterable<string>): string[] {
  const rank = (k: string): [number, number] => {
    const m = DRIVE_KEY.exec(k);
    if (!m) return [9, 0];
    if (!m[1]) return [k === "efidisk0" ? 4 : 5, 0];
    return [["ide", "scsi", "virtio", "sata"].indexOf(m[1]), Number(m[2])];
  };
  return [...keys]
    .filter((k) => DRIVE_KEY.test(k))
    .sort((a, b) => {
      const [ra, ia] = rank(a);
      const [rb, ib] = rank(b);
      return ra - rb || ia - ib;
    });
}

/**
 * PVE's `parse_drive`: the drive's keys (aliases resolved, booleans as `1`/`0`) with `size` in
 * bytes. Throws an Error with PVE's wording for a malformed drive.
 */
export function parseDrive(key: string, value: string): Drive {
  const drive = parseProps(optionFormat(key), value);
  if (drive.file === undefined) throw new Error(`unable to parse drive options for '${key}'`);
  if (drive.size !== undefined) {
    const bytes = parseSize(drive.size);
    if (bytes === undefined) throw new Error(`unable to parse drive options for '${key}'`);
    drive.size = String(bytes);
  }
  if (drive.media === "cdrom" && (drive.format !== undefined || /^virtio/.test(key))) {
    throw new Error(`unable to parse drive options for '${key}'`);
  }
  return drive;
}

/** PVE's `print_drive`: the canonical config string (`local-lvm:vm-100-disk-0,iothread=1,size=8G`). */
export function printDrive(key: string, drive: Drive): string {
  return printProps(optionFormat(key), drive);
}

/** PVE's `drive_is_cloudinit`. */
export function isCloudinit(drive: Drive): boolean {
  return /[:/](?:vm-\d+-)?cloudinit(?:\.(?:raw|qcow|qed|qcow2|vmdk|cloop))?$/.test(drive.file);
}

/** PVE's `drive_is_cdrom`; with `excludeCloudinit`, cloud-init drives do not count. */
export function isCdrom(drive: Drive, excludeCloudinit = false): boolean {
  if (excludeCloudinit && isCloudinit(drive)) return false;
  return drive.media === "cdrom";
}

/** PVE's `NEW_DISK_RE`: `local-lvm:8` (allocate 8 GiB) → storage and size in GiB. */
export function newDiskRequest(file: string): { storeid?: string; sizeGiB: number } | undefined {
  const m = /^(?:([^/:\s]+):)?(\d+(?:\.\d+)?)$/.exec(file);
  return m ? { storeid: m[1], sizeGiB: Number(m[2]) } : undefined;
}

/** Size PVE allocates for TPM state (bytes). */
export const TPMSTATE_SIZE = 4 * 1024 * 1024;

/** Size PVE allocates for a cloud-init drive (bytes). */
export const CLOUDINIT_SIZE = 4 * 1024 * 1024;

/** Size of the OVMF vars PVE copies into an EFI disk: 528 KiB for `efitype=4m`, 128 KiB for `2m`. */
export function efiVarsSize(efitype: string | undefined): number {
  return efitype === "4m" ? 540672 : 131072;
}
