import { registerClusterResources } from "../cluster-resources";
import type { SimContext } from "../context";
import { hasPrivs, requirePrivs } from "../permission-check";
import { registerPoolResolver } from "../privileges";
import { PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import { findCt } from "../lxc/ct-store";
import { findVm } from "../qemu/vm-store";
import { route, type ApiRequest, type Route } from "../route";
import { parsePveBoolean } from "../schema-check";
import type { SimState } from "../sim-state";
import { availableOn, findStorage } from "../storage/storage-config";

/** A resource pool as user.cfg keeps it. */
interface Pool {
  comment?: string;
  vms: number[];
  storage: string[];
}

/** The `pools` slice: pools by id. */
interface PoolSlice {
  pools: Record<string, Pool>;
}

function poolSlice(state: SimState): PoolSlice {
  return state.slice<PoolSlice>("pools", () => ({ pools: {} }));
}

/** True when pool `poolid` exists (backup jobs and others check this). */
export function poolExists(state: SimState, poolid: string): boolean {
  return poolSlice(state).pools[poolid] !== undefined;
}

/** `/vms/{vmid}` and `/storage/{storeid}` of every pool member (paths PVE's permission dump lists). */
export function poolMemberPaths(state: SimState): string[] {
  return Object.values(poolSlice(state).pools).flatMap((p) => [...p.vms.map((v) => `/vms/${v}`), ...p.storage.map((s) => `/storage/${s}`)]);
}

/** The pool a VM belongs to, if any. */
export function poolOfVm(state: SimState, vmid: number): string | undefined {
  const { pools } = poolSlice(state);
  return Object.keys(pools).find((id) => pools[id].vms.includes(vmid));
}

/** Removes a destroyed guest from its pool (PVE does this on `purge`). */
export function removeGuestFromPools(state: SimState, vmid: number | string): void {
  for (const pool of Object.values(poolSlice(state).pools)) pool.vms = pool.vms.filter((v) => v !== Number(vmid));
}

function requirePool(state: SimState, poolid: string): Pool {
  const pool = poolSlice(state).pools[poolid];
  if (!pool) throw new PveError(500, `pool '${poolid}' does not exist`);
  return pool;
}

/** Members as PVE's pool index lists them; guests and storages that no longer exist are skipped. */
function members(sim: SimContext, pool: Pool, type: string | undefined): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const vmid of [...pool.vms].sort((a, b) => a - b)) {
    const vm = findVm(sim.state, vmid);
    const ct = vm ? undefined : findCt(sim.state, vmid);
    if (vm && (type === undefined || type === "qemu")) {
      const status = vm.run === "stopped" ? "stopped" : "running";
      out.push({
        id: `qemu/${vmid}`,
        type: "qemu",
        vmid,
        node: vm.node,
        name: vm.conf.name ?? `VM ${vmid}`,
        status,
        template: vm.conf.template === "1" ? 1 : 0,
      });
    } else if (ct && (type === undefined || type === "lxc")) {
      out.push({
        id: `lxc/${vmid}`,
        type: "lxc",
        vmid,
        node: ct.node,
        name: ct.conf.hostname ?? `CT${vmid}`,
        status: ct.run,
        template: ct.conf.template === "1" ? 1 : 0,
      });
    }
  }
  if (type !== undefined && type !== "storage") return out;
  for (const storeid of [...pool.storage].sort()) {
    const def = findStorage(sim.state, storeid);
    if (!def) continue;
    // PVE prefers the node answering the request, else the first node the storage is on
    const node = sim.settings.nodes.find((n) => availableOn(def, n)) ?? sim.settings.nodes[0];
    out.push({ id: `storage/${node}/${storeid}`, type: "storage", storage: storeid, node, plugintype: def.type, status: "available" });
  }
  return out;
}

function describe(poolid: string, pool: Pool): Record<string, unknown> {
  return pool.comment !== undefined ? { poolid, comment: pool.comment } : { poolid };
}

/** GET /pools, and PVE 8+'s `GET /pools?poolid=X` (a one-element list with members) that bpg/proxmox uses. */
function listPools(req: ApiRequest, sim: SimContext): unknown {
  const { pools } = poolSlice(sim.state);
  const poolid = req.args.poolid;
  if (poolid) {
    const pool = requirePool(sim.state, poolid);
    return [{ ...describe(poolid, pool), members: members(sim, pool, req.args.type) }];
  }
  return Object.keys(pools)
    .sort()
    .filter((id) => hasPrivs(req, sim, `/pool/${id}`, ["Pool.Audit"]))
    .map((id) => describe(id, pools[id]));
}

/**
 * PVE's check_perm_modify for an object added to or removed from a pool: Permissions.Modify, or
 * the object kind's allocate privilege.
 */
function requireModify(req: ApiRequest, sim: SimContext, path: string): void {
  const alternative = path.startsWith("/vms/") ? "VM.Allocate" : "Datastore.Allocate";
  requirePrivs(req, sim, path, ["Permissions.Modify", alternative], true);
}

function readPool(req: ApiRequest, sim: SimContext): unknown {
  const pool = requirePool(sim.state, req.params.poolid);
  const out: Record<string, unknown> = { members: members(sim, pool, req.args.type) };
  if (pool.comment !== undefined) out.comment = pool.comment;
  return out;
}

function createPool(req: ApiRequest, sim: SimContext): null {
  const { pools } = poolSlice(sim.state);
  const poolid = req.args.poolid;
  if (pools[poolid]) throw new PveError(500, `pool '${poolid}' already exists`);
  const slash = poolid.lastIndexOf("/");
  if (slash >= 0 && !pools[poolid.slice(0, slash)]) {
    throw new PveError(500, `parent '${poolid.slice(0, slash)}' of pool '${poolid}' does not exist`);
  }
  if (!/^[A-Za-z]/.test(poolid.slice(slash + 1))) throw new PveError(500, "pool name must start with a letter");
  pools[poolid] = { vms: [], storage: [] };
  if (req.args.comment !== undefined) pools[poolid].comment = req.args.comment;
  return null;
}

/** Adds or (with `delete=1`) removes VMs and storages; a VM in another pool moves only with `allow-move`. */
function updatePool(req: ApiRequest, sim: SimContext): null {
  const poolid = req.params.poolid ?? req.args.poolid;
  const pool = requirePool(sim.state, poolid);
  const remove = parsePveBoolean(req.args.delete) ?? false;
  if (req.args.comment !== undefined) pool.comment = req.args.comment;
  for (const vmid of splitList(req.args.vms ?? "").map(Number)) {
    requireModify(req, sim, `/vms/${vmid}`);
    if (remove) {
      if (!pool.vms.includes(vmid)) throw new PveError(500, `VM ${vmid} is not a pool member`);
      pool.vms = pool.vms.filter((v) => v !== vmid);
      continue;
    }
    if (pool.vms.includes(vmid)) throw new PveError(500, `VM ${vmid} is already a pool member`);
    if (!findVm(sim.state, vmid) && !findCt(sim.state, vmid)) throw new PveError(500, `VM ${vmid} does not exist`);
    const current = poolOfVm(sim.state, vmid);
    if (current !== undefined) {
      if (!parsePveBoolean(req.args["allow-move"])) {
        throw new PveError(500, `VM ${vmid} belongs already to pool '${current}' and 'allow-move' is not set`);
      }
      removeGuestFromPools(sim.state, vmid);
    }
    pool.vms.push(vmid);
  }
  for (const storeid of splitList(req.args.storage ?? "")) {
    requireModify(req, sim, `/storage/${storeid}`);
    if (remove) {
      if (!pool.storage.includes(storeid)) throw new PveError(500, `Storage '${storeid}' is not a pool member`);
      pool.storage = pool.storage.filter((s) => s !== storeid);
      continue;
    }
    if (pool.storage.includes(storeid)) throw new PveError(500, `Storage '${storeid}' is already a pool member`);
    if (!findStorage(sim.state, storeid)) throw new PveError(500, `storage '${storeid}' does not exist`);
    pool.storage.push(storeid);
  }
  return null;
}

function deletePool(req: ApiRequest, sim: SimContext): null {
  const { pools } = poolSlice(sim.state);
  const poolid = req.params.poolid ?? req.args.poolid;
  const pool = requirePool(sim.state, poolid);
  const child = Object.keys(pools).find((id) => id.startsWith(`${poolid}/`));
  if (child) throw new PveError(500, `pool '${poolid}' is not empty (contains pool '${child}')`);
  const vm = pool.vms.find((vmid) => findVm(sim.state, vmid) || findCt(sim.state, vmid));
  if (vm !== undefined) throw new PveError(500, `pool '${poolid}' is not empty (contains VM ${vm})`);
  if (pool.storage.length) throw new PveError(500, `pool '${poolid}' is not empty (contains storage '${pool.storage[0]}')`);
  delete pools[poolid];
  return null;
}

// Roles granted on /pool/<id> apply to the pool's VMs and storages, as in PVE.
registerPoolResolver((state, path) => {
  const vm = /^\/vms\/(\d+)$/.exec(path);
  if (vm) return poolOfVm(state, Number(vm[1]));
  const storage = /^\/storage\/([^/]+)$/.exec(path);
  const { pools } = poolSlice(state);
  return storage ? Object.keys(pools).find((id) => pools[id].storage.includes(storage[1])) : undefined;
});

registerClusterResources((sim) =>
  Object.keys(poolSlice(sim.state).pools)
    .sort()
    .map((poolid) => ({ id: `/pool/${poolid}`, type: "pool", pool: poolid })),
);

/** Resource pools: both the `/pools?poolid=` form (PVE 8.1+) and the older `/pools/{poolid}`. */
export const routes: Route[] = [
  route("GET", "/pools", listPools),
  route("POST", "/pools", createPool),
  route("PUT", "/pools", updatePool),
  route("DELETE", "/pools", deletePool),
  route("GET", "/pools/{poolid}", readPool),
  route("PUT", "/pools/{poolid}", updatePool),
  route("DELETE", "/pools/{poolid}", deletePool),
];
