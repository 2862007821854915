import { dataDiskSerial, guestDevicePath } from "../constructs/vm-data-disk";
import type { ResolvedDataProtection, ResolvedTier } from "../envspec/resolved-environment";

/** One encrypted data disk as the `luks_data_disk` role takes it (`luks_data_disks` entries). */
export interface LuksDataDisk {
  /** Stable path of the disk in the guest, from the serial HardenedVm gave it. */
  readonly device: string;
  /** Mapper name: the volume opens as /dev/mapper/<name>. */
  readonly name: string;
  readonly mount_point: string;
}

/**
 * The `luks_data_disk` role's host variables for a VM of `tier`: each encrypted data disk by its
 * /dev/disk/by-id path (the serial is what the construct set, so the guest formats exactly that
 * disk), mapped as `data<n>_crypt` and mounted at `/srv/data<n>` (n = its place in the spec).
 * Empty for a tier without encrypted data disks: the role then stays off. The recovery passphrase
 * is not here: it comes from ansible-vault (`luks_data_disk_passphrase`).
 */
export function luksHostVars(tier: ResolvedTier): Record<string, unknown> {
  const disks: LuksDataDisk[] = tier.dataDisks.flatMap((d, i) =>
    d.encrypted ? [{ device: guestDevicePath(dataDiskSerial(i, true)), name: `data${i + 1}_crypt`, mount_point: `/srv/data${i + 1}` }] : [],
  );
  return disks.length === 0 ? {} : { luks_data_disk_enabled: true, luks_data_disks: disks };
}

/** The environment-wide unlock of the `luks_data_disk` role: tang servers with pinned thumbprints and a threshold, or tpm2. */
export function luksUnlockVars(protection: ResolvedDataProtection): Record<string, unknown> {
  if (protection.diskUnlock === "tpm2") return { luks_data_disk_unlock: "tpm2" };
  return {
    luks_data_disk_unlock: "tang",
    luks_data_disk_tang_servers: protection.tang.map((t) => ({ url: t.url, thp: t.thumbprint })),
    luks_data_disk_tang_threshold: protection.threshold,
  };
}
