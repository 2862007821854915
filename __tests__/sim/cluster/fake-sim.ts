import type { SimContext } from "../../../sim/context";
import type { HttpMethod, Route } from "../../../sim/route";
import { SimState } from "../../../sim/sim-state";

/** A SimContext without a server: tasks run their work at once and are recorded. */
export interface FakeSim extends SimContext {
  readonly tasks: Array<{ node: string; type: string; id: string; upid: string }>;
}

/** A fresh fake context over an empty state (nodes pve1..pve3). */
export function fakeSim(nodes: readonly string[] = ["pve1", "pve2", "pve3"]): FakeSim {
  const tasks: FakeSim["tasks"] = [];
  return {
    state: new SimState(),
    settings: { nodes, latencyMs: {} },
    tasks,
    startTask(node, type, id, user, work) {
      const upid = `UPID:${node}:00000001:00000001:00000000:${type}:${id}:${user}:`;
      tasks.push({ node, type, id, upid });
      void work({ upid, log: () => {} });
      return upid;
    },
    save() {},
    random: () => 0.5,
  };
}

/**
 * Calls the handler registered for `method template` with concrete path parameters and
 * arguments, the way the core would after validation.
 */
export async function call(
  routes: readonly Route[],
  sim: SimContext,
  method: HttpMethod,
  template: string,
  params: Record<string, string> = {},
  args: Record<string, string> = {},
): Promise<unknown> {
  const found = routes.find((r) => r.method === method && r.template === template);
  if (!found) throw new Error(`no route ${method} ${template}`);
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
  return await found.handler({ method, path, template, params, args, auth: { userid: "root@pam" } }, sim);
}
