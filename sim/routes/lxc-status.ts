import { authId } from "../access-model";
import type { SimContext } from "../context";
import { parameterError, PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";
import { applyAllPending } from "../lxc/ct-config";
import { ctStatus } from "../lxc/ct-status";
import { checkCtLock, CtRecord, ctLockPath, isCtRunning, isCtTemplate, loadCt } from "../lxc/ct-store";
import { requireNode } from "./nodes";
import { guestPowerTask, markRunning, markStopped } from "./guest-power";
import { isHaManaged } from "./ha";

let nextPid = 20_000;

/** PVE's `vm_start`: queued `[pve:pending]` changes are applied first, then the container runs. */
export function startCtNow(sim: SimContext, ct: CtRecord): void {
  applyAllPending(sim.state, ct, () => sim.random());
  markRunning(ct, nextPid++);
}

/** Marks a container as stopped. */
export const stopCtNow: (ct: CtRecord) => void = markStopped;

function rootOnlySkiplock(req: ApiRequest): boolean {
  const skiplock = req.args.skiplock === "1";
  if (skiplock && authId(req.auth) !== "root@pam") throw parameterError({ skiplock: "Only root may use this option." });
  return skiplock;
}

/**
 * A power task (`vzstart`, `vzstop`, …) as pve-container's `API2/LXC/Status.pm` forks it: the
 * running-state check answers at once (HTTP 500 `CT 100 already running`), the action runs in the
 * worker under the config lock after the task's latency.
 */
function powerTask(req: ApiRequest, sim: SimContext, type: string, precheck: (ct: CtRecord) => void, action: (ct: CtRecord) => void): string {
  requireNode(sim, req.params.node);
  return guestPowerTask(req, sim, {
    type,
    load: () => loadCt(sim.state, req.params.node, req.params.vmid),
    precheck: (ct) => {
      precheck(ct);
      if (isHaManaged(sim.state, ct.vmid)) throw new PveError(501, "HA-managed container power requests are not simulated");
    },
    action,
    lockPath: (ct) => ctLockPath(ct.vmid),
  });
}

const mustRun = (what: string) => (ct: CtRecord) => {
  if (!isCtRunning(ct)) throw new PveError(500, `${what} ${ct.vmid} not running`);
};

function start(req: ApiRequest, sim: SimContext): string {
  const skiplock = rootOnlySkiplock(req);
  return powerTask(
    req,
    sim,
    "vzstart",
    (ct) => {
      if (isCtRunning(ct)) throw new PveError(500, `CT ${ct.vmid} already running`);
    },
    (ct) => {
      if (isCtTemplate(ct)) throw new PveError(500, "you can't start a CT if it's a template");
      if (!skiplock && ct.conf.lock !== "mounted") checkCtLock(ct);
      // vm_start runs `systemctl start pve-container@<vmid>`: a no-op for a container that was
      // started meanwhile (by create's start=1, say), so the worker does not fail then
      if (!isCtRunning(ct)) startCtNow(sim, ct);
    },
  );
}

function stop(req: ApiRequest, sim: SimContext): string {
  const skiplock = rootOnlySkiplock(req);
  return powerTask(req, sim, "vzstop", mustRun("CT"), (ct) => {
    if (!skiplock && ct.conf.lock !== "mounted") checkCtLock(ct);
    stopCtNow(ct);
  });
}

function shutdown(req: ApiRequest, sim: SimContext): string {
  return powerTask(req, sim, "vzshutdown", mustRun("CT"), (ct) => {
    checkCtLock(ct);
    stopCtNow(ct);
  });
}

/** `vm_reboot`: under the config lock (no `check_lock`), a stop and a start, which applies pending changes. */
function reboot(req: ApiRequest, sim: SimContext): string {
  return powerTask(req, sim, "vzreboot", mustRun("VM"), (ct) => {
    if (!isCtRunning(ct)) return;
    stopCtNow(ct);
    startCtNow(sim, ct);
  });
}

/** Power state: status/current and the start, stop, shutdown and reboot tasks. */
export const lxcStatusRoutes: Route[] = [
  route("GET", "/nodes/{node}/lxc/{vmid}/status", (req, sim) => {
    requireNode(sim, req.params.node);
    loadCt(sim.state, req.params.node, req.params.vmid);
    return ["current", "start", "stop", "shutdown", "reboot", "suspend", "resume"].map((subdir) => ({ subdir }));
  }),
  route("GET", "/nodes/{node}/lxc/{vmid}/status/current", (req, sim) => {
    requireNode(sim, req.params.node);
    const ct = loadCt(sim.state, req.params.node, req.params.vmid);
    return { ...ctStatus(ct), ha: { managed: isHaManaged(sim.state, ct.vmid) ? 1 : 0 } };
  }),
  route("POST", "/nodes/{node}/lxc/{vmid}/status/start", start),
  route("POST", "/nodes/{node}/lxc/{vmid}/status/stop", stop),
  route("POST", "/nodes/{node}/lxc/{vmid}/status/shutdown", shutdown),
  route("POST", "/nodes/{node}/lxc/{vmid}/status/reboot", reboot),
];
