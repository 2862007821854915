import { registerClusterResources } from "../cluster-resources";
import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import { ApiRequest, route, Route } from "../route";
import { availableOn, defaultFormat, findStorage, StorageDef, storageDefs, validFormats } from "../storage/storage-config";
import { pbsConfigFields } from "../storage/pbs-storage";
import { usedBytes } from "../storage/volumes";
import { requireNode } from "./nodes";

/** Capacity numbers of a storage on a node. */
function usage(sim: SimContext, node: string, def: StorageDef): { total: number; used: number; avail: number } {
  const used = Math.min(usedBytes(sim.state, node, def.storage), def.totalBytes);
  return { total: def.totalBytes, used, avail: def.totalBytes - used };
}

/** PVE writes a storage's content types sorted and comma-joined. */
function contentString(def: StorageDef): string {
  return [...def.content].sort().join(",");
}

/** A storage the caller may see (Datastore.Audit or Datastore.AllocateSpace on it). */
function visible(req: ApiRequest, sim: SimContext, def: StorageDef): boolean {
  return hasPrivs(req, sim, `/storage/${def.storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true);
}

/** `GET /nodes/{node}/storage`: the node's storages, filtered by `content`, `storage`, `target`, `enabled`. */
function nodeStorages(req: ApiRequest, sim: SimContext): unknown {
  const node = req.params.node;
  requireNode(sim, node);
  if (req.args.storage !== undefined && !findStorage(sim.state, req.args.storage)) throw parameterError({ storage: "No such storage." });
  const wanted = req.args.content !== undefined ? splitList(req.args.content) : undefined;
  return storageDefs(sim.state)
    .filter((def) => availableOn(def, node) && visible(req, sim, def))
    .filter((def) => req.args.storage === undefined || def.storage === req.args.storage)
    .filter((def) => req.args.target === undefined || req.args.target === node || (def.shared && availableOn(def, req.args.target)))
    .filter((def) => !wanted || wanted.some((c) => def.content.includes(c)))
    .map((def) => {
      const u = usage(sim, node, def);
      const row: Record<string, unknown> = {
        storage: def.storage,
        type: def.type,
        content: contentString(def),
        active: 1,
        enabled: 1,
        shared: def.shared ? 1 : 0,
        ...u,
        used_fraction: u.total ? u.used / u.total : 0,
      };
      if (req.args.format === "1") row.formats = { default: defaultFormat(def), supported: validFormats(def) };
      return row;
    });
}

/** `GET /nodes/{node}/storage/{storage}/status`. */
function storageStatus(req: ApiRequest, sim: SimContext): unknown {
  const node = req.params.node;
  requireNode(sim, node);
  const def = findStorage(sim.state, req.params.storage);
  if (!def || !availableOn(def, node)) throw parameterError({ storage: "No such storage." });
  return { type: def.type, content: contentString(def), active: 1, enabled: 1, shared: def.shared ? 1 : 0, ...usage(sim, node, def) };
}

/** A storage.cfg entry as `GET /storage/{storage}` shows it. */
function storageConfig(def: StorageDef): Record<string, unknown> {
  const out: Record<string, unknown> = { storage: def.storage, type: def.type, content: contentString(def) };
  if (def.path) out.path = def.path;
  if (def.vgname) out.vgname = def.vgname;
  if (def.thinpool) out.thinpool = def.thinpool;
  if (def.type === "dir") out["prune-backups"] = "keep-all=1";
  if (def.shared) out.shared = 1;
  if (def.nodes) out.nodes = def.nodes.join(",");
  if (def.disable) out.disable = 1;
  if (def.pbs) Object.assign(out, pbsConfigFields(def.pbs));
  return out;
}

// One `storage` row per node and storage, as PVE lists them in /cluster/resources.
registerClusterResources((sim) =>
  sim.settings.nodes.flatMap((node) =>
    storageDefs(sim.state)
      .filter((def) => availableOn(def, node))
      .map((def) => {
        const u = usage(sim, node, def);
        return {
          id: `storage/${node}/${def.storage}`,
          type: "storage",
          node,
          storage: def.storage,
          status: "available",
          plugintype: def.type,
          content: contentString(def),
          shared: def.shared ? 1 : 0,
          disk: u.used,
          maxdisk: u.total,
        };
      }),
  ),
);

/** Storage listings and status, per node and cluster-wide. */
export const storageStatusRoutes: Route[] = [
  route("GET", "/nodes/{node}/storage", nodeStorages),
  route("GET", "/nodes/{node}/storage/{storage}", (req, sim) => {
    requireNode(sim, req.params.node);
    if (!findStorage(sim.state, req.params.storage)) throw parameterError({ storage: "No such storage." });
    return ["content", "download-url", "file-restore", "import-metadata", "prunebackups", "rrd", "rrddata", "status", "upload"].map((subdir) => ({ subdir }));
  }),
  route("GET", "/nodes/{node}/storage/{storage}/status", storageStatus),
  route("GET", "/storage", (req, sim) =>
    storageDefs(sim.state)
      .filter((def) => (req.args.type === undefined || def.type === req.args.type) && visible(req, sim, def))
      .map(storageConfig),
  ),
  route("GET", "/storage/{storage}", (req, sim) => {
    const def = findStorage(sim.state, req.params.storage);
    if (!def) throw new PveError(500, `storage '${req.params.storage}' does not exist`);
    return storageConfig(def);
  }),
];
