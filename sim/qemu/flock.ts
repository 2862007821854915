import { PveError } from "../pve-error";
import type { SimState } from "../sim-state";

/** `flock` modes: many shared holders, or one exclusive holder. */
export type LockMode = "shared" | "exclusive";

/** Gives the lock back. Calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  readonly mode: LockMode;
  readonly grant: (release: Release) => void;
}

interface LockEntry {
  shared: number;
  exclusive: boolean;
  waiters: Waiter[];
}

/**
 * The lock files of one simulated cluster (`/var/lock/qemu-server/lock-100.conf`,
 * `/var/lock/pve-manager/pve-storage-local-lvm`): PVE's `lock_file_full` semantics — a request
 * that cannot get the `flock` waits up to its timeout, then fails with
 * `can't lock file '<path>' - got timeout`. Waiters are woken in arrival order. Locks live in
 * memory only: a restarted simulator, like a rebooted node, holds none.
 */
export class FlockTable {
  private readonly locks = new Map<string, LockEntry>();

  /**
   * Takes the lock at once, or waits for it at most `timeoutMs`. `node` scopes node-local lock
   * files (each node has its own `/var/lock`).
   */
  acquire(path: string, mode: LockMode, timeoutMs: number, node = ""): Promise<Release> {
    const key = `${node}|${path}`;
    const entry = this.entry(key);
    if (this.compatible(entry, mode) && entry.waiters.length === 0) return Promise.resolve(this.take(key, entry, mode));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        mode,
        grant: (release) => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        entry.waiters = entry.waiters.filter((w) => w !== waiter);
        reject(new PveError(500, `can't lock file '${path}' - got timeout`));
        this.wake(key, entry);
      }, timeoutMs);
      entry.waiters.push(waiter);
    });
  }

  /** Whether anything holds or waits for the lock (for tests and diagnostics). */
  busy(path: string, node = ""): boolean {
    const entry = this.locks.get(`${node}|${path}`);
    return !!entry && (entry.exclusive || entry.shared > 0 || entry.waiters.length > 0);
  }

  private entry(key: string): LockEntry {
    let entry = this.locks.get(key);
    if (!entry) {
      entry = { shared: 0, exclusive: false, waiters: [] };
      this.locks.set(key, entry);
    }
    return entry;
  }

  private compatible(entry: LockEntry, mode: LockMode): boolean {
    return mode === "shared" ? !entry.exclusive : !entry.exclusive && entry.shared === 0;
  }

  private take(key: string, entry: LockEntry, mode: LockMode): Release {
    if (mode === "shared") entry.shared++;
    else entry.exclusive = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mode === "shared") entry.shared--;
      else entry.exclusive = false;
      this.wake(key, entry);
    };
  }

  private wake(key: string, entry: LockEntry): void {
    while (entry.waiters.length > 0 && this.compatible(entry, entry.waiters[0].mode)) {
      const next = entry.waiters.shift() as Waiter;
      next.grant(this.take(key, entry, next.mode));
    }
    if (!entry.exclusive && entry.shared === 0 && entry.waiters.length === 0) this.locks.delete(key);
  }
}

const tables = new WeakMap<SimState, FlockTable>();

/** The lock table of a simulator (one per state object). */
export function flocks(state: SimState): FlockTable {
  let table = tables.get(state);
  if (!table) {
    table = new FlockTable();
    tables.set(state, table);
  }
  return table;
}

/** PVE's per-VM config lock file. */
export function vmLockPath(vmid: number): string {
  return `/var/lock/qemu-server/lock-${vmid}.conf`;
}

/** PVE's lock file of a non-shared storage (`cluster_lock_storage`). */
export function storageLockPath(storeid: string): string {
  return `/var/lock/pve-manager/pve-storage-${storeid}`;
}

/** Lock timeouts PVE uses (ms): `lock_config` 10 s, clone's source/target and create's 1 s, storage 10 s. */
export const LOCK_TIMEOUT_MS = { config: 10_000, clone: 1_000, storage: 10_000 } as const;

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
