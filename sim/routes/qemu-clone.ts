import { authId } from "../access-model";
import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { allocateCloneVolume, ClonePlan, clonedConfig, cloneOrder, cloneTargetStorage, copyDurations, planClone, templateDrives } from "../qemu/clone";
import { parseDrive, printDrive } from "../qemu/drive";
import { flocks, LOCK_TIMEOUT_MS, Release, sleep, vmLockPath } from "../qemu/flock";
import { addVmToPool } from "../qemu/pool-membership";
import { allocLatencyMs, underStorageLock } from "../qemu/storage-lock";
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
 * `POST …/clone`: PVE's `clone_vm` (qemu-server `API2/Qemu.pm`). Checks at once (source not
 * locked, linked clones only of templates, free new id, privileges), then the `qmclone` worker
 * takes the source's config lock (shared when the source is stopped, exclusive when it runs; 1 s)
 * and the new VM's (exclusive, 1 s), writing its `lock: clone` config, and holds both to the end.
 * Each drive is then cloned in key order as `clone_disk` does: its volume is allocated under the
 * storage lock (`vdisk_alloc` / `vdisk_clone`: latency `alloc`, 10 s wait — only this part queues
 * behind other clones), then a full clone copies the data outside any storage lock. A full
 * clone's copies share what is left of the `qmclone` latency after its allocations, so
 * `--latency clone=4s` is a full clone's total time when its allocations do not queue; a linked
 * clone takes only its allocations. A failure frees what was allocated and removes the config.
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
  const early = check();
  const held: Release[] = [];
  const allocated: string[] = [];
  let created = false;
  let committed = false;
  let ended = false;
  const started = Date.now();
  // The forked worker takes the config locks at once (before the task's own time is spent), so a
  // clone queued behind another one waits here, and the target's `lock: clone` config shows early.
  const locked = (async (): Promise<ClonePlan | undefined> => {
    const locks = flocks(sim.state);
    for (const [vmid, mode] of [
      [request.vmid, early.running ? "exclusive" : "shared"],
      [request.newid, "exclusive"],
    ] as const) {
      const release = await locks.acquire(vmLockPath(vmid), mode, LOCK_TIMEOUT_MS.clone);
      if (ended) {
        release();
        return undefined;
      }
      held.push(release);
    }
    const plan = check();
    putVm(sim.state, { vmid: request.newid, node: plan.targetNode, conf: { lock: "clone" }, run: "stopped" });
    created = true;
    sim.save();
    return plan;
  })();
  locked.catch(() => undefined);
  const work = async (): Promise<void> => {
    const plan = await locked;
    if (!plan) return;
    const total = sim.settings.latencyMs.qmclone ?? sim.settings.latencyMs["*"] ?? 0;
    const copyMs = plan.full ? Math.max(0, total - plan.drives.length * allocLatencyMs(sim)) : 0;
    const copies = copyDurations(sim.state, plan, copyMs);
    const drives: Record<string, string> = {};
    try {
      for (const entry of cloneOrder(plan)) {
        const storeid = cloneTargetStorage(plan, entry);
        const { value, volid } = await underStorageLock(sim, node, storeid, () => allocateCloneVolume(sim.state, plan, entry));
        allocated.push(volid);
        drives[entry.key] = value;
        await sleep(copies.get(entry.key) ?? 0);
      }
    } catch (e) {
      throw new PveError(500, `clone failed: ${(e as Error).message}`);
    }
    // A clone that waited for nothing still lasts its latency (e.g. a full clone of a diskless VM).
    await sleep(started + (plan.full ? total : 0) - Date.now());
    loadVm(sim.state, plan.targetNode, request.newid).conf = clonedConfig(plan, drives, () => sim.random());
    if (pool !== undefined) addVmToPool(sim.state, pool, request.newid);
    committed = true;
  };
  return sim.startTask(node, "qmclone", String(request.vmid), authId(req.auth), work, {
    selfTimed: true,
    cleanup: () => {
      ended = true;
      for (const release of held.splice(0).reverse()) release();
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
  return startJobTask(
    sim,
    { node, type: "qmtemplate", id: String(vmid), user: authId(req.auth) },
    {
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
    },
  );
}

/** Clone (full and linked) and conversion to a template. */
export const qemuCloneRoutes: Route[] = [
  route("POST", "/nodes/{node}/qemu/{vmid}/clone", cloneVm),
  route("POST", "/nodes/{node}/qemu/{vmid}/template", convertToTemplate),
];
