import type { SimContext } from "../../../sim/context";
import { seededRandom } from "../../../sim/seeded-random";
import type { UploadedFile } from "../../../sim/request-body";
import type { HttpMethod, Route } from "../../../sim/route";
import { SimState } from "../../../sim/sim-state";
import type { TaskHandle, TaskOptions } from "../../../sim/tasks";
import { routes as lxcRoutes } from "../../../sim/routes/lxc";
import { routes as qemuRoutes } from "../../../sim/routes/qemu";
import { routes as storageRoutes } from "../../../sim/routes/storage";

/** A finished (or failed) task of the fake context. */
export interface FakeTask {
  readonly type: string;
  readonly id: string;
  readonly upid: string;
  /** Settles when the task ended: its exit status (`OK` or the error). */
  readonly done: Promise<string>;
  readonly log: string[];
}

/** A SimContext without a server: tasks run like the core runs them (latency, then work, then cleanup). */
export interface FakeContext extends SimContext {
  readonly tasks: FakeTask[];
  /** Calls a qemu, lxc or storage route as the core would after validation. */
  call(method: HttpMethod, path: string, args?: Record<string, string>, userid?: string, files?: Record<string, UploadedFile>): Promise<unknown>;
  /** Calls a route and waits for the task its UPID names; resolves with the exit status. */
  task(method: HttpMethod, path: string, args?: Record<string, string>): Promise<string>;
}

const ROUTES: readonly Route[] = [...qemuRoutes, ...lxcRoutes, ...storageRoutes];

function match(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const re = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), "([^/]+)"))}$`);
  const m = re.exec(path);
  return m ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) : undefined;
}

/** A fresh fake context: nodes pve1..pve3, seeded randomness, task latencies as given. */
export function fakeContext(latencyMs: Record<string, number> = {}): FakeContext {
  const tasks: FakeTask[] = [];
  let pid = 1;
  const random = seededRandom(42);
  const ctx: FakeContext = {
    state: new SimState(),
    settings: { nodes: ["pve1", "pve2", "pve3"], latencyMs },
    tasks,
    random,
    save() {},
    startTask(node: string, type: string, id: string, user: string, work: (t: TaskHandle) => void | Promise<void>, options?: TaskOptions) {
      const upid = `UPID:${node}:${(pid++).toString(16).padStart(8, "0")}:00000000:00000000:${type}:${id}:${user}:`;
      const log: string[] = [];
      const done = (async () => {
        await new Promise((r) => setTimeout(r, options?.selfTimed ? 0 : (latencyMs[type] ?? 0)));
        let status = "OK";
        try {
          await work({ upid, log: (l) => void log.push(l) });
        } catch (e) {
          status = e instanceof Error ? e.message : String(e);
        }
        options?.cleanup?.();
        return status;
      })();
      tasks.push({ type, id, upid, done, log });
      return upid;
    },
    async call(method, path, args = {}, userid = "root@pam", files) {
      for (const r of ROUTES) {
        if (r.method !== method) continue;
        const params = match(r.template, path);
        if (params) return r.handler({ method, path, template: r.template, params, args, auth: { userid }, files }, ctx);
      }
      throw new Error(`no route ${method} ${path}`);
    },
    async task(method, path, args = {}) {
      const upid = await ctx.call(method, path, args);
      const t = tasks.find((x) => x.upid === upid);
      if (!t) throw new Error(`${method} ${path} returned no task (${String(upid)})`);
      return t.done;
    },
  };
  return ctx;
}
