import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { findStorage } from "../storage/storage-config";
import { flocks, LOCK_TIMEOUT_MS, sleep, storageLockPath } from "./flock";

/**
 * `--latency` key of one storage operation under the storage lock (`alloc=300ms`): the time
 * pve-storage's plugin spends in `alloc_image`, `clone_image` or `volume_resize` (on LVM-thin
 * `lvs` + `lvcreate`, `lvcreate -s`, `lvextend`).
 */
export const ALLOC_LATENCY_KEY = "vdisk_alloc";

/** The simulated duration of one allocation under the storage lock (ms; 0 when not set). */
export function allocLatencyMs(sim: SimContext): number {
  return sim.settings.latencyMs[ALLOC_LATENCY_KEY] ?? 0;
}

/**
 * pve-storage's `cluster_lock_storage` (`PVE::Storage::Plugin`) around one volume operation: a
 * non-shared storage takes the node-local lock file `/var/lock/pve-manager/pve-storage-<id>`
 * (`lock_file`, 10 s wait); a shared one the cluster-wide pmxcfs lock (`cfs_lock_storage`, 10 s).
 * The lock is held for the allocation latency and `fn` only — `vdisk_alloc`, `vdisk_clone` and
 * `volume_resize` wrap just the plugin call, never a data copy. A timeout throws PVE's message.
 */
export async function underStorageLock<T>(sim: SimContext, node: string, storeid: string, fn: () => T): Promise<T> {
  const shared = !!findStorage(sim.state, storeid)?.shared;
  let release: () => void;
  try {
    release = await flocks(sim.state).acquire(storageLockPath(storeid), "exclusive", LOCK_TIMEOUT_MS.storage, shared ? "" : node);
  } catch (e) {
    if (shared && e instanceof PveError) throw new PveError(500, `cfs-lock 'storage-${storeid}' error: got lock request timeout`);
    throw e;
  }
  try {
    await sleep(allocLatencyMs(sim));
    return fn();
  } finally {
    release();
  }
}
