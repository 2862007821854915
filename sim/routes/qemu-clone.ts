import { authId } from "../access-model";
import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { ClonePlan, cloneStorages, executeClone, planClone, templateDrives } from "../qemu/clone";
import { parseDrive, printDrive } from "../qemu/drive";
import { LOCK_TIMEOUT_MS, storageLockPath, vmLockPath } from "../qemu/flock";
import { addVmToPool } from "../qemu/pool-membership";
import { startJobTask } from "../qemu/task-job";
import { checkBridgeAccess } from "../qemu/vm-permissions";
import { checkLock, findVm, isRunning, isTemplate, loadVm, putVm, removeVm } from "../qemu/vm-store";
import { requirePrivs } from "../permission-check";
import { ApiRequest, route, Route } from "../route";
import { createBase, freeVolume, parseVolumeId } from "../storage/volumes";
import { requireNode } from "./nodes";
import { poolExists } from "./pools";

/** Storage privileges of a clone: Datastore.AllocateSpace where each disk lands. */
function checkCloneStorageAccess(req: ApiRequest, sim: SimContext, plan: ClonePlan): void {
  if (req.auth.userid === "root@pam" && !req.auth.tokenid) return;
  for (const { drive } of plan.drives) {
    const sid = plan.request.storage ?? parseVolumeId(drive.file).storeid;
    requirePrivs(req, sim, `/storage/${sid}`, ["Datastore.AllocateSpace"]);
  }
}

/**
 * `POST …/clone`: PVE's `clone_vm`. Checks at once (source not locked, linked clones only of
 * templates, free new id, privileges), then the `qmclone` worker takes the source's config lock
 * (shared when the source is stopped, exclusive when it runs; 1 s timeout), the new VM's
 * (exclusive, 1 s) — writing its `lock: clone` config — and the lock of every storage it
 * allocates on (10 s). The clone's simulated time (latency `qmclone`) is spent holding them, so
 * parallel clones onto one storage queue, and those waiting longer than 10 s fail with
 * `clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout`.
 */
function cloneVm(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const { pool } = req.args;
  const request = {
    node,
    vmid: Number(req.params.vmid),
    newid: Number(req.args.newid),
    name: req.args.name,
    description: req.args.description,
    full: req.args.full === undefined ? undefined : req.args.full === "1",
    storage: req.args.storage,
    format: req.args.format,
    target: req.args.target,
    snapname: req.args.snapname,
  };
  if (pool !== undefined && !poolExists(sim.state, pool)) throw new PveError(500, `pool '${pool}' does not exist`);
  const check = (): ClonePlan => {
    const plan = planClone(sim.state, sim.settings.nodes, request);
    checkCloneStorageAccess(req, sim, plan);
    checkBridgeAccess(req, sim, plan.source.conf);
    return plan;
  };
  let plan = check();
  const sourceMode = plan.running ? "exclusive" : "shared";
  const allocated: string[] = [];
  let created = false;
  return startJobTask(sim, { node, type: "qmclone", id: String(request.vmid), user: authId(req.auth) }, {
    locks: [
      { path: vmLockPath(request.vmid), mode: sourceMode, timeoutMs: LOCK_TIMEOUT_MS.clone },
      {
        path: vmLockPath(request.newid),
        mode: "exclusive",
        timeoutMs: LOCK_TIMEOUT_MS.clone,
        then: () => {
          plan = check();
          putVm(sim.state, { vmid: request.newid, node: plan.targetNode, conf: { lock: "clone" }, run: "stopped" });
          created = true;
        },
      },
      ...cloneStorages(plan).map((s) => ({ path: storageLockPath(s), mode: "exclusive" as const, timeoutMs: LOCK_TIMEOUT_MS.storage, node, errorPrefix: "clone failed: " })),
    ],
    commit: () => {
      let conf: Record<string, string>;
      try {
        conf = executeClone(sim.state, plan, () => sim.random(), allocated);
      } catch (e) {
        throw new PveError(500, `clone failed: ${(e as Error).message}`);
      }
      loadVm(sim.state, plan.targetNode, request.newid).conf = conf;
      if (pool !== undefined) addVmToPool(sim.state, pool, request.newid);
    },
    cleanup: (committed) => {
      if (committed) return;
      for (const volid of allocated) {
        try {
          freeVolume(sim.state, node, volid);
        } catch {
          // PVE warns and continues
        }
      }
      if (created && findVm(sim.state, request.newid)?.conf.lock === "clone") removeVm(sim.state, request.newid);
    },
  });
}

/** `POST …/template`: checks at once, then the `qmtemplate` worker sets `template: 1` and renames the disks to base volumes. */
function convertToTemplate(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const disk = req.args.disk;
  const loadAndCheck = () => {
    const vm = loadVm(sim.state, node, vmid);
    checkLock(vm);
    if (isTemplate(vm) && !disk) throw new PveError(500, "you can't convert a template to a template");
    if (isRunning(vm)) throw new PveError(500, "you can't convert a VM to template if VM is running");
    return vm;
  };
  loadAndCheck();
  return startJobTask(sim, { node, type: "qmtemplate", id: String(vmid), user: authId(req.auth) }, {
    locks: [{ path: vmLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
    commit: () => {
      const vm = loadAndCheck();
      vm.conf.template = "1";
      for (const key of templateDrives(vm, disk)) {
        const drive = parseDrive(key, vm.conf[key]);
        drive.file = createBase(sim.state, node, drive.file);
        vm.conf[key] = printDrive(key, drive);
      }
    },
  });
}

/** Clone (full and linked) and conversion to a template. */
export const qemuCloneRoutes: Route[] = [
  route("POST", "/nodes/{node}/qemu/{vmid}/clone", cloneVm),
  route("POST", "/nodes/{node}/qemu/{vmid}/template", convertToTemplate),
];
