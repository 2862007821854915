import { authId } from "../access-model";
import type { SimContext } from "../context";
import { hasPrivs, requirePrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { LOCK_TIMEOUT_MS, storageLockPath } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import { ApiRequest, route, Route } from "../route";
import { availableOn, findStorage, StorageDef, volumePath, Volume } from "../storage/storage-config";
import { checkVolname } from "../storage/volume-name";
import { findVolume, freeVolume, imageOwner, listVolumes } from "../storage/volumes";
import { requireNode } from "./nodes";

function storageOn(sim: SimContext, node: string, storeid: string): StorageDef {
  requireNode(sim, node);
  const def = findStorage(sim.state, storeid);
  if (!def || !availableOn(def, node)) throw parameterError({ storage: "No such storage." });
  return def;
}

/**
 * The volume id of a `{volume}` path parameter: a full volume id of this storage, or a name in it,
 * parsed as the storage's plugin does (`PVE::Storage::path` → `parse_volname`, before any worker).
 */
function volidOf(def: StorageDef, volume: string): string {
  const m = /^([^:]+):(.+)$/s.exec(volume);
  if (m && m[1] !== def.storage) throw new PveError(500, `volume '${volume}' is not on storage '${def.storage}'`);
  checkVolname(def.type, m ? m[2] : volume);
  return m ? volume : `${def.storage}:${volume}`;
}

/** Whether the caller may see a volume in a listing (PVE's `check_volume_access`, owner by VM.Audit). */
function mayAccess(req: ApiRequest, sim: SimContext, storeid: string, vol: Volume): boolean {
  if (vol.content !== "images") return hasPrivs(req, sim, `/storage/${storeid}`, ["Datastore.AllocateSpace", "Datastore.Audit"], true);
  return hasPrivs(req, sim, `/storage/${storeid}`, ["Datastore.Allocate"]) || (vol.vmid !== undefined && hasPrivs(req, sim, `/vms/${vol.vmid}`, ["VM.Audit"]));
}

function listItem(storeid: string, vol: Volume): Record<string, unknown> {
  const item: Record<string, unknown> = { volid: `${storeid}:${vol.volname}`, content: vol.content, format: vol.format, size: vol.size, ctime: vol.ctime };
  if (vol.vmid !== undefined) item.vmid = vol.vmid;
  if (vol.parent) item.parent = vol.parent;
  if (vol.content === "images") item.used = vol.size;
  return item;
}

/** `GET …/content`: the storage's volumes (optionally one content type or one VM's), sorted by volume id. */
function listContent(req: ApiRequest, sim: SimContext): unknown {
  const def = storageOn(sim, req.params.node, req.params.storage);
  const filter = { content: req.args.content, vmid: req.args.vmid === undefined ? undefined : Number(req.args.vmid) };
  return listVolumes(sim.state, req.params.node, def.storage, filter)
    .filter((vol) => mayAccess(req, sim, def.storage, vol))
    .map((vol) => listItem(def.storage, vol));
}

/** `GET …/content/{volume}`: path, size, used and format of one volume. */
function volumeInfo(req: ApiRequest, sim: SimContext): unknown {
  const def = storageOn(sim, req.params.node, req.params.storage);
  const volid = volidOf(def, req.params.volume);
  const vol = findVolume(sim.state, req.params.node, volid);
  if (!vol) throw new PveError(500, `volume_size_info on '${volid}' failed - no format`);
  if (!mayAccess(req, sim, def.storage, vol)) requirePrivs(req, sim, `/storage/${def.storage}`, ["Datastore.Allocate"]);
  return { path: volumePath(def, vol.volname, vol.content), size: vol.size, used: vol.size, format: vol.format };
}

/**
 * `DELETE …/content/{volume}`: an `imgdel` task freeing the volume (Datastore.Allocate needed,
 * as in PVE). A volume that does not exist makes the task fail, not the request.
 */
function deleteVolume(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  const def = storageOn(sim, node, req.params.storage);
  const volid = volidOf(def, req.params.volume);
  requirePrivs(req, sim, `/storage/${def.storage}`, ["Datastore.Allocate"]);
  const owner = imageOwner(volid.slice(def.storage.length + 1))?.vmid;
  const id = `${owner !== undefined ? `${owner}@` : ""}${def.storage}`;
  return startJobTask(
    sim,
    { node, type: "imgdel", id, user: authId(req.auth) },
    {
      locks: [{ path: storageLockPath(def.storage), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.storage, node }],
      commit: (task) => {
        freeVolume(sim.state, node, volid);
        task.log(`Removed volume '${volid}'`);
      },
    },
  );
}

/** Storage content: list, inspect, delete. */
export const storageContentRoutes: Route[] = [
  route("GET", "/nodes/{node}/storage/{storage}/content", listContent),
  route("GET", "/nodes/{node}/storage/{storage}/content/{volume}", volumeInfo),
  route("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}", deleteVolume),
];
