import { PveApiError, PveConnection, pveExchange } from "../pve/pve-client";

/** Limits of a {@link PveReader}: how hard it may press an API and how long it keeps trying. */
export interface PveReaderOptions {
  /**
   * Requests in flight at once.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Further attempts after a 5xx answer, a timeout or a lost connection (4xx answers are final).
   * @default 3
   */
  readonly retries?: number;
  /**
   * Wait before the first retry, in milliseconds; doubled for each further one.
   * @default 250
   */
  readonly backoffMs?: number;
  /**
   * Give up on one attempt after this many milliseconds without an answer.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

/**
 * Read-only access to a PVE API for scanning: GET only, at most `concurrency` requests at once,
 * each retried a bounded number of times with exponential backoff on server errors and timeouts.
 * Errors name the method and path and PVE's message, never the token.
 */
export class PveReader {
  private readonly concurrency: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Requests answered so far (for progress and tests). */
  requests = 0;

  constructor(
    private readonly conn: PveConnection,
    options: PveReaderOptions = {},
  ) {
    this.concurrency = positiveInt("concurrency", options.concurrency ?? 4);
    this.retries = nonNegativeInt("retries", options.retries ?? 3);
    this.backoffMs = nonNegativeInt("backoffMs", options.backoffMs ?? 250);
    this.timeoutMs = positiveInt("timeoutMs", options.timeoutMs ?? 30_000);
  }

  /** `GET /api2/json<path>` (segments already escaped): PVE's `data`. */
  async get<T = unknown>(path: string, args: Readonly<Record<string, string | number>> = {}): Promise<T> {
    await this.slot();
    try {
      return await this.attempt<T>(path, args);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async slot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    // The releasing request hands its slot over: `active` stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private async attempt<T>(path: string, args: Readonly<Record<string, string | number>>): Promise<T> {
    let last: Error | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1));
      let res;
      try {
        res = await pveExchange(this.conn, { method: "GET", path, args, apiToken: this.conn.apiToken, timeoutMs: this.timeoutMs });
      } catch (e) {
        last = new Error(`GET ${path}: ${(e as Error).message}`);
        continue;
      }
      this.requests++;
      const text = () => (typeof res.body === "string" ? res.body : JSON.stringify(res.body)).slice(0, 300);
      if (res.status >= 500) {
        last = new PveApiError(res.status, `GET ${path}: ${res.status} ${res.statusMessage} ${text()}`.trim());
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new PveApiError(
          res.status,
          `GET ${path}: ${res.status} ${res.statusMessage} — the token cannot read this; scan needs the PVEAuditor role on / (propagated) for the token and, when the token has privilege separation, for its user too.`,
        );
      }
      if (res.status >= 400) throw new PveApiError(res.status, `GET ${path}: ${res.status} ${res.statusMessage} ${text()}`.trim());
      if (typeof res.body !== "object" || res.body === null) throw new PveApiError(res.status, `GET ${path}: the answer is not JSON`);
      return (res.body as { data: T }).data;
    }
    throw new Error(`${last?.message ?? `GET ${path} failed`} (gave up after ${this.retries + 1} attempts)`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`PveReader option ${name} must be a positive integer, got ${v}.`);
  return v;
}

function nonNegativeInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new Error(`PveReader option ${name} must be a non-negative integer, got ${v}.`);
  return v;
}
