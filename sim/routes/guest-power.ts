import { authId } from "../access-model";
import type { SimContext } from "../context";
import { LOCK_TIMEOUT_MS } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import type { ApiRequest } from "../route";

/**
 * What qemu-server's and pve-container's `Status.pm` power routes (start, stop, shutdown, reboot, …)
 * share: the power fields of a guest record, and the shape of a power task. What differs (root-only
 * parameters, HA handling, which lock checks an action makes, the messages) stays in
 * qemu-status.ts and lxc-status.ts.
 */

/** The power state a VM record and a container record have alike. */
export interface PoweredGuest {
  readonly vmid: number;
  readonly node: string;
  run: "running" | "paused" | "stopped";
  /** When the guest started (its uptime), while it runs. */
  startedAt?: number;
  /** Process id of the running guest (QEMU, lxc-start). */
  pid?: number;
}

/** Marks a guest as running from now on, with a new process id. */
export function markRunning(guest: PoweredGuest, pid: number): void {
  guest.run = "running";
  guest.startedAt = Date.now();
  guest.pid = pid;
}

/** Marks a guest as stopped: no uptime, no process. */
export function markStopped(guest: PoweredGuest): void {
  guest.run = "stopped";
  delete guest.startedAt;
  delete guest.pid;
}

/** One power task of {@link guestPowerTask}. */
export interface PowerTask<G extends PoweredGuest> {
  /** Task type: `qmstart`, `vzstop`, … */
  readonly type: string;
  /** Loads the guest record (throws PVE's "does not exist"); called at the request and again when the action runs. */
  readonly load: () => G;
  /** Checks answered at once, before a task exists (`VM 100 not running`). @default none */
  readonly precheck?: (guest: G) => void;
  /** What the worker does once the task's latency has passed, on the record as it is then. */
  readonly action: (guest: G) => void;
  /** The guest's config lock file, held by the worker. */
  readonly lockPath: (guest: G) => string;
}

/**
 * A power task as both `Status.pm` fork it: the prechecks answer at once (HTTP 500), the action
 * runs in the worker, under the guest's config lock, after the task's latency.
 */
export function guestPowerTask<G extends PoweredGuest>(req: ApiRequest, sim: SimContext, task: PowerTask<G>): string {
  const guest = task.load();
  task.precheck?.(guest);
  return startJobTask(
    sim,
    { node: guest.node, type: task.type, id: String(guest.vmid), user: authId(req.auth) },
    {
      locks: [{ path: task.lockPath(guest), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
      commit: () => task.action(task.load()),
    },
  );
}
