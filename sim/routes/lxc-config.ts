import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import { flocks, LOCK_TIMEOUT_MS } from "../qemu/flock";
import { ApiRequest, route, Route } from "../route";
import { applyCtChange, checkCtChange, currentView } from "../lxc/ct-config";
import { ctJsonValue, ctOptionSchema } from "../lxc/ct-options";
import { checkCtModifyConfigPerm } from "../lxc/ct-permissions";
import { ctInterfaces, ctStatus } from "../lxc/ct-status";
import { allCts, checkCtLock, ctDigest, ctLockPath, loadCt } from "../lxc/ct-store";
import { requireNode } from "./nodes";

/** `GET …/config`: `load_current_config` (pending values on top unless `current=1`), typed values, `digest`. */
function getConfig(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  if (req.args.snapshot && req.args.current === "1") {
    const msg = "cannot use 'snapshot' parameter with 'current'";
    throw parameterError({ snapshot: msg, current: msg });
  }
  const ct = loadCt(sim.state, req.params.node, req.params.vmid);
  if (req.args.snapshot) throw new PveError(500, `snapshot '${req.args.snapshot}' does not exist`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(currentView(ct, req.args.current === "1"))) out[key] = ctJsonValue(key, value);
  out.digest = ctDigest(ct);
  return out;
}

/** `GET …/pending`: every option with its current value, its pending value and a pending deletion. */
function getPending(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  const ct = loadCt(sim.state, req.params.node, req.params.vmid);
  const keys = new Set([...Object.keys(ct.conf), ...Object.keys(ct.pending ?? {}), ...(ct.pendingDelete ?? [])]);
  return [...keys].sort().map((key) => {
    const row: Record<string, unknown> = { key };
    if (ct.conf[key] !== undefined) row.value = ctJsonValue(key, ct.conf[key]);
    if (ct.pending?.[key] !== undefined) row.pending = ctJsonValue(key, ct.pending[key]);
    if (ct.pendingDelete?.includes(key)) row.delete = 1;
    return row;
  });
}

/**
 * `PUT …/config`: pve-container's `update_vm`, synchronous, under the config lock (10 s):
 * refuses a locked container and a stale `digest`, checks per-option privileges, `delete`/`revert`
 * names, then `update_pct_config`.
 */
async function putConfig(req: ApiRequest, sim: SimContext): Promise<null> {
  requireNode(sim, req.params.node);
  const { node, vmid } = req.params;
  loadCt(sim.state, node, vmid);
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.args)) if (!["node", "vmid", "digest", "delete", "revert"].includes(k)) set[k] = v;
  const deletes = splitList(req.args.delete ?? "");
  const reverts = splitList(req.args.revert ?? "");
  if (Object.keys(set).length === 0 && deletes.length === 0 && reverts.length === 0) throw new PveError(500, "no options specified");
  const release = await flocks(sim.state).acquire(ctLockPath(Number(vmid)), "exclusive", LOCK_TIMEOUT_MS.config);
  try {
    const ct = loadCt(sim.state, node, vmid);
    checkCtLock(ct);
    if (req.args.digest !== undefined && req.args.digest !== ctDigest(ct)) {
      throw new PveError(500, "detected modified configuration - file changed by other user? Try again.");
    }
    const unprivileged = ct.conf.unprivileged === "1";
    checkCtModifyConfigPerm(req, sim, ct.vmid, undefined, ct.conf, {}, deletes, unprivileged);
    checkCtModifyConfigPerm(req, sim, ct.vmid, undefined, ct.conf, {}, reverts, unprivileged);
    for (const opt of reverts) {
      if (!ctOptionSchema(opt)) throw parameterError({ revert: `unknown option '${opt}'` });
      if (set[opt] !== undefined) throw parameterError({ revert: `you can't use '-${opt}' and '-revert ${opt}' at the same time` });
    }
    for (const opt of deletes) {
      if (!ctOptionSchema(opt)) throw parameterError({ delete: `unknown option '${opt}'` });
      if (set[opt] !== undefined) throw parameterError({ delete: `you can't use '-${opt}' and -delete ${opt}' at the same time` });
      if (reverts.includes(opt)) throw parameterError({ delete: `you can't use '-delete ${opt}' and '-revert ${opt}' at the same time` });
    }
    checkCtModifyConfigPerm(req, sim, ct.vmid, undefined, ct.conf, set, [], unprivileged);
    for (const opt of reverts) {
      if (ct.pending) delete ct.pending[opt];
      if (ct.pendingDelete) ct.pendingDelete = ct.pendingDelete.filter((o) => o !== opt);
    }
    const effective = checkCtChange(sim.state, ct, { set, delete: deletes });
    applyCtChange(sim.state, ct, set, effective, () => sim.random());
  } finally {
    release();
  }
  return null;
}

/** `GET /nodes/{node}/lxc`: the node's containers the caller may audit. */
function listCts(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  return allCts(sim.state)
    .filter((ct) => ct.node === req.params.node && hasPrivs(req, sim, `/vms/${ct.vmid}`, ["VM.Audit"]))
    .map(ctStatus);
}

function ctIndex(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  loadCt(sim.state, req.params.node, req.params.vmid);
  const subdirs = [
    "config",
    "pending",
    "status",
    "vncproxy",
    "termproxy",
    "vncwebsocket",
    "spiceproxy",
    "migrate",
    "clone",
    "rrd",
    "firewall",
    "rrddata",
    "snapshot",
    "resize",
    "interfaces",
  ];
  return subdirs.map((subdir) => ({ subdir }));
}

/** Container list, index, config (read, pending, update) and the running container's interfaces. */
export const lxcConfigRoutes: Route[] = [
  route("GET", "/nodes/{node}/lxc", listCts),
  route("GET", "/nodes/{node}/lxc/{vmid}", ctIndex),
  route("GET", "/nodes/{node}/lxc/{vmid}/config", getConfig),
  route("PUT", "/nodes/{node}/lxc/{vmid}/config", putConfig),
  route("GET", "/nodes/{node}/lxc/{vmid}/pending", getPending),
  route("GET", "/nodes/{node}/lxc/{vmid}/interfaces", (req, sim) => {
    requireNode(sim, req.params.node);
    return ctInterfaces(loadCt(sim.state, req.params.node, req.params.vmid));
  }),
];
