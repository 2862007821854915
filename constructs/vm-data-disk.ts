import { Token } from "cdktf";
import type { VirtualEnvironmentVmDisk } from "../.gen/providers/proxmox/virtual-environment-vm";
import { checkIntRange } from "./input-checks";

/** A data disk of a VM, next to its boot disk. */
export interface DataDiskProps {
  /** Size in GiB (1..65536). Growing it later is in place; shrinking is refused by the provider. */
  readonly sizeGiB: number;
  /** Storage that holds the disk. @default the VM's `datastoreId` */
  readonly datastoreId?: string;
  /**
   * The guest formats the disk as LUKS2 and unlocks it at boot with the VM's disk unlock (tang or its
   * vTPM), never with a key stored next to the data (ansible role `luks_data_disk`). An unencrypted
   * data disk of a prod VM is reported by the policy pack (PVE-OPS-010).
   * @default true
   */
  readonly encrypted?: boolean;
}

/** A data disk as the construct attached it: where it sits on the VM and how the guest finds it. */
export interface AttachedDataDisk {
  /** Drive slot on the VM: `scsi1`, `scsi2`, … in the order given (scsi0 is the boot disk). */
  readonly interface: string;
  /** Serial number the guest sees; its prefix says whether the guest is to encrypt it. */
  readonly serial: string;
  /** Stable device path inside a Linux guest (udev's by-id link of a QEMU SCSI disk with a serial). */
  readonly guestDevice: string;
  readonly sizeGiB: number;
  readonly datastoreId: string;
  readonly encrypted: boolean;
}

/** Data disks a VM may have (scsi1..scsi16; PVE allows scsi0..scsi30). */
export const MAX_DATA_DISKS = 16;

/**
 * Serial prefixes of data disks: the guest's inventory and the policy scan read the intent from the
 * serial, which PVE shows in the VM config (`scsi1: …,serial=pcdk-luks-1`) — the scan cannot see
 * inside the guest. PVE allows 20 characters (`serial` in qemu-server's drive schema).
 */
export const DATA_DISK_SERIAL = { encrypted: "pcdk-luks-", plain: "pcdk-data-" } as const;

/** True when a disk serial marks a data disk the guest encrypts. */
export function isEncryptedDataDiskSerial(serial: string | undefined): boolean {
  return serial !== undefined && new RegExp(`^${DATA_DISK_SERIAL.encrypted}[0-9]+$`).test(serial);
}

/** The serial of the data disk at `index` (0-based; the disk sits on scsi<index+1>). */
export function dataDiskSerial(index: number, encrypted: boolean): string {
  return `${encrypted ? DATA_DISK_SERIAL.encrypted : DATA_DISK_SERIAL.plain}${index + 1}`;
}

/**
 * Where a Linux guest finds a disk of a virtio-scsi controller by its serial: udev links QEMU's
 * SCSI disks as `scsi-0QEMU_QEMU_HARDDISK_<serial>` (60-persistent-storage.rules, from the SCSI VPD page 0x80).
 */
export function guestDevicePath(serial: string): string {
  return `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_${serial}`;
}

/** Checks data disks and gives each its slot, serial and guest path, in the order given (the order is their identity). */
export function attachDataDisks(owner: string, disks: readonly DataDiskProps[], defaultDatastoreId: string): AttachedDataDisk[] {
  if (disks.length > MAX_DATA_DISKS) throw new Error(`${owner}: dataDisks has ${disks.length} entries, at most ${MAX_DATA_DISKS} are supported.`);
  return disks.map((d, i) => {
    const field = `dataDisks[${i}]`;
    checkIntRange(owner, `${field}.sizeGiB`, d.sizeGiB, 1, 65536);
    const datastoreId = d.datastoreId ?? defaultDatastoreId;
    checkDatastoreId(owner, `${field}.datastoreId`, datastoreId);
    const encrypted = d.encrypted ?? true;
    const serial = dataDiskSerial(i, encrypted);
    return { interface: `scsi${i + 1}`, serial, guestDevice: guestDevicePath(serial), sizeGiB: d.sizeGiB, datastoreId, encrypted };
  });
}

/** The provider's disk block of a data disk: like the boot disk (iothread, discard, ssd), plus its serial. */
export function renderDataDisk(d: AttachedDataDisk): VirtualEnvironmentVmDisk {
  return { interface: d.interface, datastoreId: d.datastoreId, size: d.sizeGiB, discard: "on", iothread: true, ssd: true, serial: d.serial };
}

/** Throws unless `value` is a PVE storage id (`pve-storage-id`: a letter, then letters, digits, `-`, `_`, `.`). */
export function checkDatastoreId(owner: string, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!/^[a-z][a-z0-9_.-]*[a-z0-9]$/i.test(value) || value.length > 100) {
    throw new Error(`${owner}: ${field} "${value}" is not a storage id — use the id shown under Datacenter > Storage, like local-lvm.`);
  }
}
