import { authId } from "../access-model";
import type { SimContext } from "../context";
import { parameterError, PveError } from "../pve-error";
import { LOCK_TIMEOUT_MS, vmLockPath } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import { ownsVolume, vmVolumes } from "../qemu/vm-conf";
import { checkLock, isRunning, isTemplate, loadVm, removeVm, VmRecord } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { baseInUse, freeUnreferencedImages, freeVolume } from "../storage/volumes";
import { requireNode } from "./nodes";
import { removeGuestFromBackupJobs } from "./backup";
import { isHaManaged, removeGuestFromHa } from "./ha";
import { removeGuestFromPools } from "./pools";
import { removeGuestFirewall } from "../firewall/firewall-store";

/** PVE's early checks of `destroy_vm`: the VM exists here, is not protected, not HA-managed without purge, is stopped. */
function earlyChecks(sim: SimContext, node: string, vmid: number, purge: boolean): VmRecord {
  const vm = loadVm(sim.state, node, vmid);
  if (vm.conf.protection === "1") throw new PveError(500, `can't remove VM ${vmid} - protection mode enabled`);
  if (!purge && isHaManaged(sim.state, vmid)) throw new PveError(500, `unable to remove VM ${vmid} - used in HA resources and purge parameter not set.`);
  if (isRunning(vm)) throw new PveError(500, `VM ${vmid} is running - destroy failed`);
  return vm;
}

/**
 * `DELETE /nodes/{node}/qemu/{vmid}`: checks protection and power state at once, then a
 * `qmdestroy` task under the config lock refuses a locked VM (`VM is locked (clone)`) and a
 * template whose base volumes still back linked clones, frees the VM's own volumes (and, with
 * `destroy-unreferenced-disks=1`, every other image of the VM id), and removes the config — after
 * which `status/current` fails with `Configuration file '…' does not exist`.
 */
function destroyVm(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const skiplock = req.args.skiplock === "1";
  if (skiplock && req.auth.userid !== "root@pam") throw parameterError({ skiplock: "Only root may use this option." });
  const purge = req.args.purge === "1";
  earlyChecks(sim, node, vmid, purge);
  return startJobTask(
    sim,
    { node, type: "qmdestroy", id: String(vmid), user: authId(req.auth) },
    {
      locks: [{ path: vmLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
      commit: (task) => {
        const vm = earlyChecks(sim, node, vmid, purge);
        if (!skiplock && vm.conf.lock !== "suspended") checkLock(vm);
        const volumes = vmVolumes(vm);
        if (isTemplate(vm)) {
          for (const { drive } of volumes) {
            if (baseInUse(sim.state, node, drive.file)) throw new PveError(500, `base volume '${drive.file}' is still in use by linked cloned`);
          }
        }
        for (const { drive } of volumes) {
          if (!ownsVolume(vmid, drive.file)) continue;
          try {
            freeVolume(sim.state, node, drive.file);
          } catch (e) {
            task.log(`WARN: Could not remove disk '${drive.file}', check manually: ${(e as Error).message}`);
          }
        }
        if (req.args["destroy-unreferenced-disks"] === "1") freeUnreferencedImages(sim.state, node, vmid, (m) => task.log(`WARN: ${m}`));
        // remove_vm_access drops pool membership always; purge also cleans HA and backup jobs
        removeGuestFromPools(sim.state, vmid);
        removeGuestFirewall(sim.state, vmid);
        if (purge) {
          removeGuestFromHa(sim.state, vmid);
          removeGuestFromBackupJobs(sim.state, vmid);
        }
        removeVm(sim.state, vmid);
      },
    },
  );
}

/** VM destruction. */
export const qemuDestroyRoutes: Route[] = [route("DELETE", "/nodes/{node}/qemu/{vmid}", destroyVm)];
