import { authId } from "../access-model";
import type { SimContext } from "../context";
import { requirePrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { haMigrate, localDisks, startMigrationTask } from "../qemu/vm-migration";
import { checkLock, isRunning, loadVm } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { isHaManaged } from "./ha";
import { requireNode } from "./nodes";

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
 * another node in a `qmigrate` task. An HA-managed VM is not moved here: as qemu-server's
 * `migrate_vm` does, the call answers an `hamigrate` task that hands the move to the HA manager
 * (`ha-manager migrate vm:<vmid> <target>`), which then migrates it in a `qmigrate` task of its own.
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
  const vm = loadVm(sim.state, node, vmid);
  checkLock(vm);
  if (isRunning(vm) && req.args.online !== "1") throw new PveError(500, "can't migrate running VM without --online");
  if (isHaManaged(sim.state, vmid)) {
    return sim.startTask(node, "hamigrate", String(vmid), authId(req.auth), (task) => {
      task.log(`Requesting HA migration for VM ${vmid} to node ${target}`);
      haMigrate(sim, vmid, target);
    });
  }
  return startMigrationTask(sim, {
    node,
    vmid,
    target,
    online: isRunning(vm),
    withLocalDisks: req.args["with-local-disks"] === "1",
    targetstorage,
    user: authId(req.auth),
  });
}

/** Migration between the simulated nodes. */
export const qemuMigrateRoutes: Route[] = [
  route("GET", "/nodes/{node}/qemu/{vmid}/migrate", migratePreconditions),
  route("POST", "/nodes/{node}/qemu/{vmid}/migrate", migrate),
];
