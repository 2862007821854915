import { scalarText } from "../terraform/scalar-text";
import type { FaultInjector } from "./faults";
import type { SimState } from "./sim-state";

/** A task as `GET /nodes/{node}/tasks/{upid}/status` reports it, plus its log. */
export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: "running" | "stopped";
  /** `OK`, or the error text, once stopped. */
  exitstatus?: string;
  endtime?: number;
  log: string[];
}

interface TasksSlice {
  nextPid: number;
  tasks: TaskRecord[];
  /** Most tasks of each type that ran at the same time (a record of overlap, for tests and benchmarks). */
  peakRunning?: Record<string, number>;
}

/** What a task's work can do while it runs. */
export interface TaskHandle {
  readonly upid: string;
  /** Appends a line to the task log (`WARN: …` lines make the provider report warnings). */
  log(line: string): void;
}

/** Options of {@link TaskRunner.start}. */
export interface TaskOptions {
  /**
   * Runs after the task ends, whether its work succeeded, threw, or never ran because a
   * `task:` fault failed it; the place to release locks taken before starting the task.
   */
  readonly cleanup?: () => void;
  /**
   * The work spends its own simulated time (e.g. a clone's allocations and copy), so the runner
   * does not wait the task type's latency before running it; `delay:` faults still apply, and a
   * `fail` fault fails the task after the latency without running the work.
   * @default false
   */
  readonly selfTimed?: boolean;
}

/** Tasks kept in the state (oldest finished ones are dropped beyond this). */
const MAX_TASKS = 1000;

const hex8 = (n: number): string => (n >>> 0).toString(16).toUpperCase().padStart(8, "0");

/** The `tasks` slice of the state. */
export function tasksSlice(state: SimState): TasksSlice {
  return state.slice<TasksSlice>("tasks", () => ({ nextPid: 0x1000, tasks: [] }));
}

/** The most tasks of `type` (e.g. `qmclone`) that ever ran at the same time in this state. */
export function peakRunningTasks(state: SimState, type: string): number {
  return tasksSlice(state).peakRunning?.[type] ?? 0;
}

/**
 * Ends a running task: exit status `OK`, or the first line of `error`; the log ends with PVE's
 * `TASK OK` / `TASK ERROR: …` line.
 */
export function endTask(rec: TaskRecord, error: string | undefined, nowSec: number): void {
  const message = error?.split("\n")[0].trim();
  rec.status = "stopped";
  rec.endtime = nowSec;
  rec.exitstatus = message === undefined ? "OK" : message || "unknown error";
  rec.log.push(message === undefined ? "TASK OK" : `TASK ERROR: ${rec.exitstatus}`);
}

/**
 * Runs PVE tasks: hands out UPIDs at once, runs the work after the task type's latency (plus any
 * fault delay) so that slow tasks overlap, and records status, exit status and log in the state.
 */
export class TaskRunner {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: SimState,
    private readonly latencyMs: Readonly<Record<string, number>>,
    private readonly faults: FaultInjector,
    private readonly save: () => void,
    private readonly nowSec: () => number,
  ) {
    // Work of tasks that were running when a previous simulator process died never ran.
    for (const t of tasksSlice(state).tasks) {
      if (t.status === "running") endTask(t, "interrupted: the simulator restarted while the task was running", nowSec());
    }
  }

  /** Starts a task and returns its UPID `UPID:node:pid:pstart:starttime:type:id:user:`. */
  start(node: string, type: string, id: string, user: string, work: (task: TaskHandle) => void | Promise<void>, options: TaskOptions = {}): string {
    const slice = tasksSlice(this.state);
    const pid = slice.nextPid++;
    const starttime = this.nowSec();
    const pstart = (pid * 97) % 0xffffff;
    const upid = `UPID:${node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${type}:${id}:${user}:`;
    const rec: TaskRecord = { upid, node, pid, pstart, starttime, type, id, user, status: "running", log: [] };
    slice.tasks.push(rec);
    this.trim(slice);
    const running = slice.tasks.filter((t) => t.type === type && t.status === "running").length;
    slice.peakRunning = { ...slice.peakRunning, [type]: Math.max(slice.peakRunning?.[type] ?? 0, running) };
    const decision = this.faults.forTask(type);
    // A self-timed task's work runs at once; a `fail` fault still fails it after the type's latency.
    const delay = (options.selfTimed && !decision.fail ? 0 : (this.latencyMs[type] ?? this.latencyMs["*"] ?? 0)) + decision.delayMs;
    const handle: TaskHandle = { upid, log: (line) => void rec.log.push(line) };
    const execute = (): void => {
      if (rec.status === "stopped") return this.finish(rec, undefined, options); // stopped by DELETE before it ran
      let result: void | Promise<void>;
      try {
        if (decision.fail) throw new Error(`simulated task failure (--faults task rule for '${type}')`);
        result = work(handle);
      } catch (e) {
        this.finish(rec, e, options);
        return;
      }
      if (result instanceof Promise)
        result.then(
          () => this.finish(rec, undefined, options),
          (e: unknown) => this.finish(rec, e, options),
        );
      else this.finish(rec, undefined, options);
    };
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        execute();
      }, delay);
      this.timers.add(timer);
    } else {
      execute();
    }
    return upid;
  }

  /** Cancels pending work (on simulator stop); the tasks stay `running` in the state. */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private finish(rec: TaskRecord, error: unknown, options: TaskOptions): void {
    let cleanupError: unknown;
    try {
      options.cleanup?.();
    } catch (e) {
      cleanupError = e;
    }
    const err = error ?? cleanupError;
    if (rec.status === "running") endTask(rec, err === undefined ? undefined : err instanceof Error ? err.message : scalarText(err), this.nowSec());
    this.save();
  }

  private trim(slice: TasksSlice): void {
    while (slice.tasks.length > MAX_TASKS) {
      const i = slice.tasks.findIndex((t) => t.status === "stopped");
      if (i === -1) return;
      slice.tasks.splice(i, 1);
    }
  }
}
