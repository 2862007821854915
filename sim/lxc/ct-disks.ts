import { PveError } from "../pve-error";
import type { SimState } from "../sim-state";
import { requireStorage } from "../storage/storage-config";
import { allocImage, findVolume, freeVolume, imageOwner, tryParseVolumeId } from "../storage/volumes";
import { isMountKey, newDiskRequest, parseMountPoint, printMountPoint } from "./ct-options";

/** pve-container's storage check for container volumes (`create_vm`'s `check_and_activate_storage`, `update_pct_config`). */
export function assertRootdirStorage(state: SimState, storeid: string, node: string): void {
  const def = requireStorage(state, storeid, node);
  if (!def.content.includes("rootdir")) throw new PveError(500, `storage '${storeid}' does not allow content type 'rootdir' (Container)`);
}

/**
 * pve-container's `create_disks`: every `rootfs`/`mpN` of `settings` of the `<storage>:<GiB>` form
 * gets a freshly allocated raw volume (`alloc_disk`: `int(GiB*1024)*1024` KiB) and is printed as
 * PVE writes it (`local-lvm:vm-100-disk-0,size=8G`); existing volumes and bind mounts are printed
 * as given. Returns the printed options and the allocated volume ids; on error frees what it
 * allocated (`destroy_disks`) and rethrows.
 */
export function createCtDisks(
  state: SimState,
  node: string,
  vmid: number,
  settings: Readonly<Record<string, string>>,
): { options: Record<string, string>; volids: string[] } {
  const options: Record<string, string> = {};
  const volids: string[] = [];
  try {
    for (const key of Object.keys(settings).filter(isMountKey).sort(mountOrder)) {
      const mp = parseMountPoint(key, settings[key]);
      const fresh = mp.type === "volume" ? newDiskRequest(mp.volume) : undefined;
      if (fresh) {
        assertRootdirStorage(state, fresh.storeid, node);
        const sizeKiB = Math.trunc(fresh.sizeGiB * 1024) * 1024;
        const volid = allocImage(state, node, fresh.storeid, vmid, "raw", undefined, sizeKiB * 1024);
        volids.push(volid);
        mp.volume = volid;
        mp.size = String(sizeKiB * 1024);
      } else if (mp.type === "volume") {
        const vol = findVolume(state, node, mp.volume);
        if (!vol) throw new PveError(500, `volume '${mp.volume}' does not exist`);
        mp.size = String(vol.size);
      }
      options[key] = printMountPoint(key, mp);
    }
  } catch (e) {
    destroyCtDisks(state, node, volids);
    throw e;
  }
  return { options, volids };
}

/** PVE's `destroy_disks`: frees volumes, best effort. */
export function destroyCtDisks(state: SimState, node: string, volids: readonly string[]): void {
  for (const volid of volids) {
    try {
      freeVolume(state, node, volid);
    } catch {
      // PVE warns and goes on
    }
  }
}

/** `rootfs` first, then `mp0`, `mp1`, … (PVE's `foreach_volume` order). */
function mountOrder(a: string, b: string): number {
  const n = (k: string) => (k === "rootfs" ? -1 : Number(k.slice(2)));
  return n(a) - n(b);
}

/** Every storage volume a container config references (`rootfs`, `mpN`, `unusedN`) that the container owns. */
export function ownedCtVolumes(vmid: number, conf: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(conf)) {
    let volume: string | undefined;
    if (isMountKey(key)) {
      try {
        const mp = parseMountPoint(key, value);
        if (mp.type === "volume") volume = mp.volume;
      } catch {
        continue;
      }
    } else if (/^unused\d+$/.test(key)) {
      volume = value;
    }
    const id = volume ? tryParseVolumeId(volume) : undefined;
    if (volume && id && imageOwner(id.volname)?.vmid === vmid) out.push(volume);
  }
  return out;
}
