import type { SimState } from "./sim-state";
import type { TaskHandle, TaskOptions } from "./tasks";

/** Options of a running simulator that handlers may read. */
export interface SimSettings {
  /** Node names, e.g. `["pve1", "pve2", "pve3"]`. */
  readonly nodes: readonly string[];
  /** Simulated duration in milliseconds per task type (`qmclone`, `qmcreate`, `qmstart`, …); 0 when absent. */
  readonly latencyMs: Readonly<Record<string, number>>;
  /** SHA-256 fingerprint of the server certificate (`AA:BB:…`), as nodes report `ssl_fingerprint`. */
  readonly sslFingerprint?: string;
}

/** What a handler can use besides the request. */
export interface SimContext {
  readonly state: SimState;
  readonly settings: SimSettings;
  /**
   * Starts an asynchronous PVE task and returns its UPID at once. `work` runs after the task's
   * latency (task type `type`); if it throws, the task ends with that error as its exit status.
   * With no latency the work runs before `startTask` returns. Tasks with latency run
   * concurrently. Locks taken before calling stay the handler's responsibility: release them in
   * `options.cleanup`, which also runs when a `task:` fault fails the task without running `work`.
   * `work` may log lines through its {@link TaskHandle}. The state is saved when the task ends.
   */
  startTask(node: string, type: string, id: string, user: string, work: (task: TaskHandle) => void | Promise<void>, options?: TaskOptions): string;
  /** Persists the state (atomically, when `--state FILE` is set). Called by the core after every mutating request; call it yourself after a change made inside a task. */
  save(): void;
  /** Deterministic random numbers (seeded by `--seed`), e.g. for MAC addresses. */
  random(): number;
}
