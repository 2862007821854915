import { authId } from "../access-model";
import { boolArg, numberArg } from "../args";
import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { doesNotExist, PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";
import { endTask, TaskRecord, tasksSlice } from "../tasks";

/** The task of `{upid}` on `{node}`; an unknown UPID is a 500 "does not exist". */
function requireTask(req: ApiRequest, sim: SimContext, privOtherwise: string): TaskRecord {
  const { node, upid } = req.params;
  const task = tasksSlice(sim.state).tasks.find((t) => t.upid === upid && t.node === node);
  if (!task) throw doesNotExist(`task '${upid}' does not exist`);
  // Owners see their tasks; others need Sys.Audit (Sys.Modify to stop) on the node.
  if (task.user !== authId(req.auth) && task.user !== req.auth.userid && !hasPrivs(req, sim, `/nodes/${node}`, [privOtherwise])) {
    throw new PveError(403, `Permission check failed (/nodes/${node}, ${privOtherwise})`);
  }
  return task;
}

function status(t: TaskRecord): Record<string, unknown> {
  const s: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
    status: t.status,
  };
  if (t.exitstatus !== undefined) s.exitstatus = t.exitstatus;
  return s;
}

function listTasks(req: ApiRequest, sim: SimContext): unknown {
  const { node } = req.params;
  const me = authId(req.auth);
  const auditor = hasPrivs(req, sim, `/nodes/${node}`, ["Sys.Audit"]);
  const source = req.args.source ?? "archive";
  const start = numberArg(req, "start") ?? 0;
  const limit = numberArg(req, "limit") ?? 50;
  const vmid = req.args.vmid;
  return tasksSlice(sim.state)
    .tasks.filter((t) => t.node === node && (auditor || t.user === me))
    .filter((t) => source === "all" || (source === "active") === (t.status === "running"))
    .filter((t) => !boolArg(req, "errors") || (t.exitstatus !== undefined && t.exitstatus !== "OK"))
    .filter((t) => req.args.typefilter === undefined || t.type === req.args.typefilter)
    .filter((t) => req.args.userfilter === undefined || t.user.includes(req.args.userfilter))
    .filter((t) => vmid === undefined || t.id === vmid)
    .reverse()
    .slice(start, start + limit)
    .map((t) => {
      const row = status(t);
      delete row.exitstatus;
      if (t.endtime !== undefined) row.endtime = t.endtime;
      if (t.exitstatus !== undefined) row.status = t.exitstatus;
      return row;
    });
}

function taskLog(req: ApiRequest, sim: SimContext): unknown {
  const task = requireTask(req, sim, "Sys.Audit");
  const start = numberArg(req, "start") ?? 0;
  const limit = numberArg(req, "limit") ?? 50;
  const lines = task.log.length ? task.log : ["no content"];
  return lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
}

/** Tasks: list, status, log, stop (`/nodes/{node}/tasks…`). */
export const routes: Route[] = [
  route("GET", "/nodes/{node}/tasks", listTasks),
  route("GET", "/nodes/{node}/tasks/{upid}", (req, sim) => {
    requireTask(req, sim, "Sys.Audit");
    return [{ name: "log" }, { name: "status" }];
  }),
  route("GET", "/nodes/{node}/tasks/{upid}/status", (req, sim) => status(requireTask(req, sim, "Sys.Audit"))),
  route("GET", "/nodes/{node}/tasks/{upid}/log", taskLog),
  route("DELETE", "/nodes/{node}/tasks/{upid}", (req, sim) => {
    const task = requireTask(req, sim, "Sys.Modify");
    if (task.status === "running") endTask(task, "interrupted by signal", Math.floor(Date.now() / 1000));
    return null;
  }),
];
