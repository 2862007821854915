import { authId } from "../access-model";
import type { SimContext } from "../context";
import { guestConfig, removeGuestFirewall } from "../firewall/firewall-store";
import { requirePrivs } from "../permission-check";
import { PveError } from "../pve-error";
import { flocks, LOCK_TIMEOUT_MS } from "../qemu/flock";
import { addVmToPool } from "../qemu/pool-membership";
import { startJobTask } from "../qemu/task-job";
import { assertVmidUnused } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { findStorage, requireStorage } from "../storage/storage-config";
import { allocImage, cloneImage, createBase, findVolume, imageOwner, parseVolumeId } from "../storage/volumes";
import { destroyCtDisks } from "../lxc/ct-disks";
import { isMountKey, MountPoint, normaliseCtNet, parseCtNet, parseMountPoint, printMountPoint } from "../lxc/ct-options";
import { checkCtLock, ctLockPath, findCt, isCtRunning, isCtTemplate, loadCt, putCt, removeCt } from "../lxc/ct-store";
import { checkVnetAccess } from "../qemu/vm-permissions";
import { requireNode } from "./nodes";
import { poolExists } from "./pools";

/**
 * `POST /nodes/{node}/lxc/{vmid}/clone`: pve-container's `clone_vm`. At once: the source gets
 * `lock: disk`, the new id a `lock: create` config with the source's options (new MACs, no
 * `template`, optional `hostname`/`description`) and a copy of its firewall config; a full clone of
 * a running container, `storage` on a linked clone and bind/device mount points are refused. The
 * `vzclone` task then clones every volume (linked: `vdisk_clone` of the template's base volume;
 * full: a new volume of the same size), adds the clone to its pool and drops both locks. On error
 * the clone's volumes and config go: `clone failed: …`.
 */
function cloneCt(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const newid = Number(req.args.newid);
  const pool = req.args.pool;
  if (pool !== undefined && !poolExists(sim.state, pool)) throw new PveError(500, `pool '${pool}' does not exist`);
  if (req.args.target !== undefined && req.args.target !== node) throw new PveError(501, "cloning to another node is not simulated");
  const storage = req.args.storage;
  if (storage !== undefined) requireStorage(sim.state, storage, node);
  const src = loadCt(sim.state, node, vmid);
  checkCtLock(src);
  assertVmidUnused(sim.state, newid);
  const running = isCtRunning(src);
  const full = req.args.full === undefined ? !isCtTemplate(src) : req.args.full === "1";
  if (storage !== undefined && !full) throw new PveError(500, "parameter 'storage' not allowed for linked clones");
  if (req.args.snapname) throw new PveError(500, `snapshot '${req.args.snapname}' does not exist`);

  const newconf: Record<string, string> = {};
  const mountpoints: Record<string, MountPoint> = {};
  for (const opt of Object.keys(src.conf).sort()) {
    if (/^unused\d+$/.test(opt)) continue;
    const value = src.conf[opt];
    if (isMountKey(opt)) {
      const mp = parseMountPoint(opt, value);
      if (mp.type !== "volume") throw new PveError(500, `unable to clone mountpoint '${opt}' (type ${mp.type})`);
      const sid = storage ?? parseVolumeId(mp.volume).storeid;
      requirePrivs(req, sim, `/storage/${sid}`, ["Datastore.AllocateSpace"]);
      if (full && running) throw new PveError(500, "Full clone of a running container is only possible from a snapshot");
      if (!full && !imageOwner(parseVolumeId(mp.volume).volname)?.isBase) throw new PveError(500, `Linked clone feature for '${mp.volume}' is not available`);
      mountpoints[opt] = mp;
    } else if (/^net\d+$/.test(opt)) {
      const net = parseCtNet(opt, value);
      delete net.hwaddr;
      newconf[opt] = normaliseCtNet(
        opt,
        Object.entries(net)
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
        () => sim.random(),
      );
      if (net.bridge) checkVnetAccess(req, sim, net.bridge, net.tag);
    } else if (opt !== "lock" && opt !== "template") {
      newconf[opt] = value;
    }
  }
  if (req.args.hostname) newconf.hostname = req.args.hostname;
  if (req.args.description) newconf.description = req.args.description;

  src.conf.lock = "disk";
  putCt(sim.state, { vmid: newid, node, conf: { ...newconf, lock: "create" }, run: "stopped" });
  const srcFw = guestConfig(sim.state, String(vmid));
  Object.assign(guestConfig(sim.state, String(newid)), JSON.parse(JSON.stringify(srcFw)));
  sim.save();

  const created: string[] = [];
  return startJobTask(
    sim,
    { node, type: "vzclone", id: String(vmid), user: authId(req.auth) },
    {
      locks: [],
      commit: async (task) => {
        task.log(`creating a clone of container ${vmid} with ID ${newid}`);
        const release = await flocks(sim.state).acquire(ctLockPath(newid), "exclusive", LOCK_TIMEOUT_MS.config);
        try {
          const target = findCt(sim.state, newid);
          if (target?.conf.lock !== "create") throw new PveError(500, "clone failed: Lost 'create' config lock, aborting.");
          for (const opt of Object.keys(mountpoints).sort()) {
            const mp = mountpoints[opt];
            let newvolid: string;
            if (full) {
              task.log(`create full clone of mountpoint ${opt} (${mp.volume})`);
              const source = findVolume(sim.state, node, mp.volume);
              if (!source) throw new Error(`volume '${mp.volume}' does not exist`);
              const sid = storage ?? parseVolumeId(mp.volume).storeid;
              if (!findStorage(sim.state, sid)?.content.includes("rootdir"))
                throw new Error(`storage '${sid}' does not allow content type 'rootdir' (Container)`);
              newvolid = allocImage(sim.state, node, sid, newid, "raw", undefined, source.size);
            } else {
              task.log(`create linked clone of mount point ${opt} (${mp.volume})`);
              newvolid = cloneImage(sim.state, node, mp.volume, newid);
            }
            created.push(newvolid);
            target.conf[opt] = printMountPoint(opt, { ...mp, volume: newvolid });
          }
          if (pool !== undefined) addVmToPool(sim.state, pool, newid);
          delete target.conf.lock;
        } catch (e) {
          destroyCtDisks(sim.state, node, created);
          removeCt(sim.state, newid);
          removeGuestFirewall(sim.state, newid);
          throw new PveError(500, (e as Error).message.startsWith("clone failed:") ? (e as Error).message : `clone failed: ${(e as Error).message}`);
        } finally {
          release();
        }
      },
      cleanup: () => {
        const source = findCt(sim.state, vmid);
        if (source?.conf.lock === "disk") delete source.conf.lock;
      },
    },
  );
}

/**
 * `POST /nodes/{node}/lxc/{vmid}/template`: pve-container's `template`. Under the config lock
 * (synchronously): refuses a locked container, a template and a running one; the `vztemplate`
 * worker then turns every volume into a base volume (`template_create`) and sets `template: 1`.
 * The API answers `null` (the method returns `undef`), so callers poll the config.
 */
async function templateCt(req: ApiRequest, sim: SimContext): Promise<null> {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.params.vmid);
  const release = await flocks(sim.state).acquire(ctLockPath(vmid), "exclusive", LOCK_TIMEOUT_MS.config);
  try {
    const ct = loadCt(sim.state, node, vmid);
    checkCtLock(ct);
    if (isCtTemplate(ct)) throw new PveError(500, "you can't convert a template to a template");
    if (isCtRunning(ct)) throw new PveError(500, "you can't convert a CT to template if the CT is running");
    // PVE forks the worker inside lock_config and answers null, not the UPID
    startJobTask(
      sim,
      { node, type: "vztemplate", id: String(vmid), user: authId(req.auth) },
      {
        locks: [],
        commit: () => {
          const current = loadCt(sim.state, node, vmid);
          for (const opt of Object.keys(current.conf).filter(isMountKey)) {
            const mp = parseMountPoint(opt, current.conf[opt]);
            if (mp.type !== "volume" || imageOwner(parseVolumeId(mp.volume).volname)?.isBase) continue;
            current.conf[opt] = printMountPoint(opt, { ...mp, volume: createBase(sim.state, node, mp.volume) });
          }
          current.conf.template = "1";
        },
      },
    );
    return null;
  } finally {
    release();
  }
}

/** Clone and convert to template. */
export const lxcCloneRoutes: Route[] = [
  route("POST", "/nodes/{node}/lxc/{vmid}/clone", cloneCt),
  route("POST", "/nodes/{node}/lxc/{vmid}/template", templateCt),
];
