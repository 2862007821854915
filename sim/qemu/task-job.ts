import type { SimContext } from "../context";
import type { TaskHandle } from "../tasks";
import { flocks, LockMode, Release, sleep } from "./flock";

/** One lock file a job takes, in order. */
export interface JobLock {
  readonly path: string;
  readonly mode: LockMode;
  readonly timeoutMs: number;
  /** Node of a node-local lock file. */
  readonly node?: string;
  /** Prefix of the error when the lock times out (PVE's `clone failed: ` for storage locks). */
  readonly errorPrefix?: string;
  /** Runs right after this lock is taken (e.g. writing the `lock: clone` target config). */
  readonly then?: () => void;
}

/** A task body that queues for lock files like a forked PVE worker. */
export interface Job {
  /** Lock files, taken one after another as soon as the request is accepted. */
  readonly locks: readonly JobLock[];
  /** The work, once every lock is held and the task type's latency has passed. */
  commit(task: TaskHandle): void | Promise<void>;
  /** Runs last, whatever happened: `committed` is false when locking or the work failed. */
  cleanup?(committed: boolean): void;
}

/**
 * Starts a PVE task whose worker begins at once — so it queues for lock files the way a forked
 * PVE worker does — and whose simulated run time (the task type's latency) starts once its locks
 * are held. A job that waited 3 s for a lock and has a 1 s latency thus ends 4 s after the
 * request. A lock timeout fails the task with PVE's `can't lock file '…' - got timeout`.
 */
export function startJobTask(
  sim: SimContext,
  task: { readonly node: string; readonly type: string; readonly id: string; readonly user: string },
  job: Job,
): string {
  const latency = sim.settings.latencyMs[task.type] ?? sim.settings.latencyMs["*"] ?? 0;
  const held: Release[] = [];
  let cancelled = false;
  let committed = false;
  let lockedAt = Date.now();

  const acquiring = (async () => {
    for (const lock of job.locks) {
      let release: Release;
      try {
        release = await flocks(sim.state).acquire(lock.path, lock.mode, lock.timeoutMs, lock.node);
      } catch (e) {
        if (lock.errorPrefix && e instanceof Error) e.message = `${lock.errorPrefix}${e.message}`;
        throw e;
      }
      if (cancelled) {
        release();
        return;
      }
      held.push(release);
      lock.then?.();
      sim.save();
    }
    lockedAt = Date.now();
  })();
  acquiring.catch(() => undefined);

  return sim.startTask(
    task.node,
    task.type,
    task.id,
    task.user,
    async (handle) => {
      await acquiring;
      await sleep(lockedAt + latency - Date.now());
      await job.commit(handle);
      committed = true;
    },
    {
      cleanup: () => {
        cancelled = true;
        for (const release of held.splice(0).reverse()) release();
        job.cleanup?.(committed);
      },
    },
  );
}
