import { authId } from "../access-model";
import type { SimContext } from "../context";
import { requirePrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { parseDrive, printDrive } from "../qemu/drive";
import { LOCK_TIMEOUT_MS, vmLockPath } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import { ownsVolume, vmVolumes } from "../qemu/vm-conf";
import { checkLock, findVm, isRunning, loadVm } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { findStorage } from "../storage/storage-config";
import { migrateVolume, parseVolumeId } from "../storage/volumes";
import { requireNode } from "./nodes";

function localDisks(sim: SimContext, node: string, vmid: number): string[] {
  const vm = loadVm(sim.state, node, vmid);
  return vmVolumes(vm)
    .map(({ drive }) => drive.file)
    .filter((volid) => !findStorage(sim.state, parseVolumeId(volid).storeid)?.shared);
}

/** `GET …/migrate`: preconditions as the GUI shows them. */
function migratePreconditions(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  const vm = loadVm(sim.state, req.params.node, req.params.vmid);
  const disks = localDisks(sim, vm.node, vm.vmid);
  return {
    running: isRunning(vm) ? 1 : 0,
    allowed_nodes: sim.settings.nodes.filter((n) => n !== vm.node),
    not_allowed_nodes: {},
    local_disks: disks.map((volid) => ({ volid, is_unused: 0, size: 0 })),
    local_resources: [],
    "mapped-resources": [],
  };
}

/**
 * `POST …/migrate`: moves the VM (config and local disks; running VMs only with `online=1`) to
 * another node in a `qmigrate` task. The config carries `lock: migrate` while it runs.
 */
function migrate(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const target = req.args.target;
  if (target === node) throw parameterError({ target: "target is local node." });
  if (!sim.settings.nodes.includes(target)) throw new PveError(500, `no such cluster node '${target}'`);
  const targetstorage = req.args.targetstorage;
  if (targetstorage && !/^[^:]+$/.test(targetstorage)) throw new PveError(501, "storage maps (source:target) are not simulated");
  if (targetstorage) requirePrivs(req, sim, `/storage/${targetstorage}`, ["Datastore.AllocateSpace"]);
  const check = () => {
    const vm = loadVm(sim.state, node, vmid);
    checkLock(vm);
    if (isRunning(vm) && req.args.online !== "1") throw new PveError(500, "can't migrate running VM without --online");
    const disks = localDisks(sim, node, vmid);
    if (disks.length && req.args["with-local-disks"] !== "1") throw new PveError(500, `can't migrate local disk '${disks[0]}': use --with-local-disks`);
    return vm;
  };
  check();
  return startJobTask(sim, { node, type: "qmigrate", id: String(vmid), user: authId(req.auth) }, {
    locks: [
      {
        path: vmLockPath(vmid),
        mode: "exclusive",
        timeoutMs: LOCK_TIMEOUT_MS.config,
        then: () => void (check().conf.lock = "migrate"),
      },
    ],
    commit: () => {
      const vm = loadVm(sim.state, node, vmid);
      for (const { key, drive } of vmVolumes(vm)) {
        if (!ownsVolume(vmid, drive.file) && !/cloudinit/.test(drive.file)) continue;
        if (findStorage(sim.state, parseVolumeId(drive.file).storeid)?.shared) continue;
        const volid = migrateVolume(sim.state, node, drive.file, target, targetstorage);
        vm.conf[key] = /^unused\d+$/.test(key) ? volid : printDrive(key, { ...parseDrive(key, vm.conf[key]), file: volid });
      }
      vm.node = target;
      delete vm.conf.lock;
    },
    cleanup: (committed) => {
      const vm = findVm(sim.state, vmid);
      if (!committed && vm?.conf.lock === "migrate") delete vm.conf.lock;
    },
  });
}

/** Migration between the simulated nodes. */
export const qemuMigrateRoutes: Route[] = [
  route("GET", "/nodes/{node}/qemu/{vmid}/migrate", migratePreconditions),
  route("POST", "/nodes/{node}/qemu/{vmid}/migrate", migrate),
];
