import { authId } from "../access-model";
import type { SimContext } from "../context";
import { removeGuestFirewall } from "../firewall/firewall-store";
import { PveError } from "../pve-error";
import { LOCK_TIMEOUT_MS } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import { ApiRequest, route, Route } from "../route";
import { freeUnreferencedImages, freeVolume } from "../storage/volumes";
import { ownedCtVolumes } from "../lxc/ct-disks";
import { checkCtLock, checkCtProtection, CtRecord, ctLockPath, isCtRunning, loadCt, removeCt } from "../lxc/ct-store";
import { removeGuestFromBackupJobs } from "./backup";
import { isHaManaged, removeGuestFromHa } from "./ha";
import { requireNode } from "./nodes";
import { removeGuestFromPools } from "./pools";
import { stopCtNow } from "./lxc-status";

/** `destroy_vm`'s `$early_checks`: protection, config lock, HA without purge. */
function earlyChecks(sim: SimContext, ct: CtRecord, purge: boolean): void {
  checkCtProtection(ct, `can't remove CT ${ct.vmid}`);
  checkCtLock(ct);
  if (!purge && isHaManaged(sim.state, ct.vmid)) {
    throw new PveError(500, `unable to remove CT ${ct.vmid} - used in HA resources and purge parameter not set.`);
  }
}

/**
 * `DELETE /nodes/{node}/lxc/{vmid}`: pve-container's `destroy_vm`. Protection, a config lock, HA
 * without `purge` and a running container (without `force`) are refused at once and again in the
 * `vzdestroy` task under the config lock; the task frees the container's volumes (a template's
 * base volume still backing linked clones fails it), drops pool membership and the firewall
 * config, with `purge` also HA and backup-job entries, and removes the config last.
 */
function destroyCt(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const purge = req.args.purge === "1";
  const force = req.args.force === "1";
  const runningMsg = `unable to destroy CT ${vmid} - container is running`;
  const ct = loadCt(sim.state, node, vmid);
  earlyChecks(sim, ct, purge);
  if (!force && isCtRunning(ct)) throw new PveError(500, runningMsg);
  return startJobTask(
    sim,
    { node, type: "vzdestroy", id: String(vmid), user: authId(req.auth) },
    {
      locks: [{ path: ctLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
      commit: (task) => {
        const current = loadCt(sim.state, node, vmid);
        earlyChecks(sim, current, purge);
        if (isCtRunning(current)) {
          if (!force) throw new PveError(500, runningMsg);
          task.log(`forced to stop CT ${vmid} before destroying!`);
          stopCtNow(current);
        }
        // destroy_lxc_container: delete_mountpoint_volume is not in an eval, so a base volume that
        // still backs linked clones fails the task (pve-storage's vdisk_free message)
        for (const volid of ownedCtVolumes(vmid, current.conf)) freeVolume(sim.state, node, volid);
        current.conf.lock = "destroyed";
        if (req.args["destroy-unreferenced-disks"] === "1") freeUnreferencedImages(sim.state, node, vmid, (m) => task.log(`WARN: ${m}`));
        removeGuestFromPools(sim.state, vmid);
        removeGuestFirewall(sim.state, vmid);
        if (purge) {
          task.log(`purging CT ${vmid} from related configurations..`);
          removeGuestFromBackupJobs(sim.state, vmid);
          removeGuestFromHa(sim.state, vmid);
        }
        removeCt(sim.state, vmid);
      },
    },
  );
}

/** Container destruction. */
export const lxcDestroyRoutes: Route[] = [route("DELETE", "/nodes/{node}/lxc/{vmid}", destroyCt)];
