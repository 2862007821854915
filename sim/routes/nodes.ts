import { ClusterResource, clusterResources, registerClusterResources, resourceTypeMatches } from "../cluster-resources";
import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";

/**
 * What `GET /version` reports: PVE's fields for the release whose schema the simulator validates
 * against, plus `simulator`, which no real PVE sends: clients (validate, doctor --target) tell a
 * simulator from a real cluster by it, however they reach it.
 */
const VERSION = { release: "9.1", version: "9.1.3", repoid: "5a4a9a9e", console: "xtermjs", simulator: "proxmox-cdk-sim" };

/** Simulated hardware of every node. */
const NODE_HW = { maxcpu: 16, maxmem: 64 * 1024 ** 3, mem: 8 * 1024 ** 3, maxdisk: 512 * 1024 ** 3, disk: 40 * 1024 ** 3, cpu: 0.03 };

/** Seconds since the process started: the nodes' uptime. */
const uptime = (): number => Math.floor(process.uptime()) + 3600;

/**
 * Throws unless `node` is one of the simulator's nodes (PVE cannot proxy to an unknown node).
 * For families: call it first in every `/nodes/{node}/…` handler.
 */
export function requireNode(sim: SimContext, node: string): void {
  if (!sim.settings.nodes.includes(node)) {
    throw new PveError(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
  }
}

function nodeRows(sim: SimContext): ClusterResource[] {
  return sim.settings.nodes.map((node) => ({
    id: `node/${node}`,
    type: "node",
    node,
    status: "online",
    level: "",
    "cgroup-mode": 2,
    uptime: uptime(),
    ...NODE_HW,
  }));
}
registerClusterResources(nodeRows);

/** VM ids in use: every qemu/lxc row any family contributes to `/cluster/resources`. */
export function usedVmids(sim: SimContext): Set<number> {
  return new Set(
    clusterResources(sim)
      .filter((r) => r.type === "qemu" || r.type === "lxc")
      .map((r) => Number(r.vmid)),
  );
}

/** `GET /cluster/nextid`: the requested id when free (else 400 `VM n already exists`), or the lowest free id ≥ 100. */
function nextId(req: ApiRequest, sim: SimContext): string {
  const used = usedVmids(sim);
  if (req.args.vmid !== undefined) {
    const vmid = Number(req.args.vmid);
    if (used.has(vmid)) throw parameterError({ vmid: `VM ${vmid} already exists` });
    return String(vmid);
  }
  for (let id = 100; id < 1_000_000; id++) if (!used.has(id)) return String(id);
  throw new PveError(500, "unable to get any free VMID in range [100, 999999]");
}

/** `GET /cluster/resources`, restricted like PVE to what the caller may audit. */
function resources(req: ApiRequest, sim: SimContext): unknown {
  const type = req.args.type;
  return clusterResources(sim)
    .filter((r) => resourceTypeMatches(type, r.type))
    .filter((r) => {
      if (r.type === "qemu" || r.type === "lxc") return hasPrivs(req, sim, `/vms/${String(r.vmid)}`, ["VM.Audit"]);
      if (r.type === "storage") return hasPrivs(req, sim, `/storage/${String(r.storage)}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true);
      if (r.type === "node") return hasPrivs(req, sim, `/nodes/${String(r.node)}`, ["Sys.Audit"]);
      return true;
    });
}

function clusterStatus(_req: ApiRequest, sim: SimContext): unknown {
  const nodes = sim.settings.nodes;
  return [
    { id: "cluster", type: "cluster", name: "proxmox-cdk-sim", nodes: nodes.length, quorate: 1, version: nodes.length },
    ...nodes.map((name, i) => ({ id: `node/${name}`, type: "node", name, nodeid: i + 1, ip: "127.0.0.1", online: 1, local: i === 0 ? 1 : 0, level: "" })),
  ];
}

function nodeStatus(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  return {
    cpu: NODE_HW.cpu,
    uptime: uptime(),
    cpuinfo: { cores: 8, cpus: NODE_HW.maxcpu, sockets: 1, model: "Simulated CPU" },
    memory: { total: NODE_HW.maxmem, used: NODE_HW.mem, free: NODE_HW.maxmem - NODE_HW.mem },
    rootfs: { total: NODE_HW.maxdisk, used: NODE_HW.disk, free: NODE_HW.maxdisk - NODE_HW.disk, avail: NODE_HW.maxdisk - NODE_HW.disk },
    loadavg: ["0.10", "0.05", "0.01"],
    kversion: "Linux 6.14.11-4-pve #1 SMP PREEMPT_DYNAMIC",
    pveversion: `pve-manager/${VERSION.version}/${VERSION.repoid}`,
    "boot-info": { mode: "efi", secureboot: 0 },
  };
}

/** bpg/proxmox's nodes data source fails without `ssl_fingerprint` (it substitutes the integer 0). */
function fingerprint(sim: SimContext): { ssl_fingerprint?: string } {
  return sim.settings.sslFingerprint ? { ssl_fingerprint: sim.settings.sslFingerprint } : {};
}

/** Version, nodes, cluster status, next VM id and cluster resources. */
export const routes: Route[] = [
  route("GET", "/version", () => ({ ...VERSION })),
  // Every node is listed; its statistics only to callers with Sys.Audit on it (as PVE).
  route("GET", "/nodes", (req, sim) =>
    nodeRows(sim).map((r) =>
      hasPrivs(req, sim, `/nodes/${String(r.node)}`, ["Sys.Audit"])
        ? {
            node: r.node,
            status: r.status,
            level: r.level,
            uptime: r.uptime,
            cpu: r.cpu,
            maxcpu: r.maxcpu,
            mem: r.mem,
            maxmem: r.maxmem,
            disk: r.disk,
            maxdisk: r.maxdisk,
            ...fingerprint(sim),
          }
        : { node: r.node, status: r.status, ...fingerprint(sim) },
    ),
  ),
  route("GET", "/nodes/{node}/status", nodeStatus),
  route("GET", "/cluster/status", clusterStatus),
  route("GET", "/cluster/nextid", nextId),
  route("GET", "/cluster/resources", resources),
];
