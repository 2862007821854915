import type { SimContext } from "../context";
import { parameterError, PveError } from "../pve-error";
import { cloudinitOptions } from "../qemu/cloudinit-dump";
import { vmLockPath } from "../qemu/flock";
import { vmCurrentStatus } from "../qemu/vm-status";
import { checkLock, isRunning, isTemplate, loadVm, VmRecord } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { guestPowerTask, markRunning, markStopped } from "./guest-power";
import { requireNode } from "./nodes";

let nextPid = 10_000;

/** Marks a VM as running now (fresh uptime and QEMU pid); the cloud-init drive is regenerated on start. */
export function startVmNow(vm: VmRecord): void {
  vm.cloudinit = cloudinitOptions(vm.conf);
  markRunning(vm, nextPid++);
}

/** Marks a VM as stopped. */
export const stopVmNow: (vm: VmRecord) => void = markStopped;

function rootOnly(req: ApiRequest, ...params: string[]): void {
  for (const p of params) {
    if (req.args[p] !== undefined && req.args[p] !== "0" && req.auth.userid !== "root@pam") throw parameterError({ [p]: "Only root may use this option." });
  }
}

type PowerAction = (vm: VmRecord, skiplock: boolean) => void;

/**
 * Starts a power task of `type` (qmstart, qmstop, …): under the VM's config lock, the action runs
 * after the task's latency, so `status/current` changes only when the task ends.
 */
function powerTask(req: ApiRequest, sim: SimContext, type: string, action: PowerAction, precheck?: (vm: VmRecord) => void): string {
  requireNode(sim, req.params.node);
  rootOnly(req, "skiplock", "keepActive", "migratedfrom", "nocheck");
  const skiplock = req.args.skiplock === "1";
  return guestPowerTask(req, sim, {
    type,
    load: () => loadVm(sim.state, req.params.node, req.params.vmid),
    precheck,
    action: (vm) => action(vm, skiplock),
    lockPath: (vm) => vmLockPath(vm.vmid),
  });
}

const start: PowerAction = (vm, skiplock) => {
  if (isTemplate(vm)) throw new PveError(500, "you can't start a vm if it's a template");
  if (!skiplock && vm.conf.lock !== "suspended") checkLock(vm);
  if (isRunning(vm)) throw new PveError(500, `VM ${vm.vmid} already running`);
  if (vm.conf.lock === "suspended") delete vm.conf.lock;
  startVmNow(vm);
};

const stop: PowerAction = (vm, skiplock) => {
  if (!skiplock) checkLock(vm);
  stopVmNow(vm);
};

const notRunning = (vm: VmRecord): void => {
  if (!isRunning(vm)) throw new PveError(500, `VM ${vm.vmid} not running`);
};

function status(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  return vmCurrentStatus(loadVm(sim.state, req.params.node, req.params.vmid));
}

/** Power state: status/current and the start, stop, shutdown, reboot, suspend and resume tasks. */
export const qemuStatusRoutes: Route[] = [
  route("GET", "/nodes/{node}/qemu/{vmid}/status", (req, sim) => {
    requireNode(sim, req.params.node);
    loadVm(sim.state, req.params.node, req.params.vmid);
    return ["current", "start", "stop", "reset", "shutdown", "reboot", "suspend", "resume"].map((subdir) => ({ subdir }));
  }),
  route("GET", "/nodes/{node}/qemu/{vmid}/status/current", status),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/start", (req, sim) => powerTask(req, sim, "qmstart", start)),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/stop", (req, sim) => powerTask(req, sim, "qmstop", stop)),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/shutdown", (req, sim) =>
    powerTask(req, sim, "qmshutdown", stop, (vm) => {
      if (vm.run === "paused" && req.args.forceStop !== "1") throw new PveError(500, "VM is paused - cannot shutdown");
    }),
  ),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/reboot", (req, sim) =>
    powerTask(
      req,
      sim,
      "qmreboot",
      (vm) => {
        checkLock(vm);
        startVmNow(vm);
      },
      (vm) => {
        if (vm.run === "paused") throw new PveError(500, "VM is paused - cannot shutdown");
        notRunning(vm);
      },
    ),
  ),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/reset", (req, sim) => powerTask(req, sim, "qmreset", (vm) => startVmNow(vm), notRunning)),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/suspend", (req, sim) => powerTask(req, sim, "qmsuspend", (vm) => void (vm.run = "paused"), notRunning)),
  route("POST", "/nodes/{node}/qemu/{vmid}/status/resume", (req, sim) => powerTask(req, sim, "qmresume", (vm) => void (vm.run = "running"), notRunning)),
];
