import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";
import { createPbsStorage, updatePbsStorage } from "../storage/pbs-storage";
import { findStorage, storageSlice } from "../storage/storage-config";

/**
 * `POST /storage` (PVE::API2::Storage::Config::create). The simulator models `pbs` storages
 * only; the answer is `{storage, type}` plus `config` with the (possibly generated) key, once.
 */
function createStorage(req: ApiRequest, sim: SimContext): unknown {
  const { storage, type } = req.args;
  if (type !== "pbs") throw new PveError(501, `create storage failed: the simulator models only 'pbs' storages, not '${type}'`);
  if (findStorage(sim.state, storage)) throw new PveError(500, `create storage failed: storage ID '${storage}' already defined`);
  const { def, config } = createPbsStorage(storage, req.args);
  storageSlice(sim.state).defs.push(def);
  return { storage, type, ...(config ? { config } : {}) };
}

/** `PUT /storage/{storage}`: update options of a pbs storage (fixed options cannot change). */
function updateStorage(req: ApiRequest, sim: SimContext): unknown {
  const storage = req.params.storage;
  const current = findStorage(sim.state, storage);
  if (!current) throw new PveError(500, `update storage failed: storage '${storage}' does not exist`);
  if (current.type !== "pbs") throw new PveError(501, `update storage failed: the simulator models only 'pbs' storages, not '${current.type}'`);
  const { def, config } = updatePbsStorage(current, req.args);
  const slice = storageSlice(sim.state);
  slice.defs = slice.defs.map((d) => (d.storage === storage ? def : d));
  return { storage, type: def.type, ...(config ? { config } : {}) };
}

/** `DELETE /storage/{storage}`: on_delete_hook removes the password and key files with the entry. */
function deleteStorage(req: ApiRequest, sim: SimContext): null {
  const storage = req.params.storage;
  if (!findStorage(sim.state, storage)) throw new PveError(500, `delete storage failed: storage '${storage}' does not exist`);
  const slice = storageSlice(sim.state);
  slice.defs = slice.defs.filter((d) => d.storage !== storage);
  return null;
}

/** storage.cfg writes: create, update and delete of storage definitions. */
export const storageConfigRoutes: Route[] = [
  route("POST", "/storage", createStorage),
  route("PUT", "/storage/{storage}", updateStorage),
  route("DELETE", "/storage/{storage}", deleteStorage),
];
