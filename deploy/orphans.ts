import { PveConnection, pveRequest } from "../pve/pve-client";
import { VM_TYPE } from "./destroy-preflight";

/** The provider's container resource: containers share the VM id space and the pool with VMs. */
const CONTAINER_TYPE = "proxmox_virtual_environment_container";
const GUEST_TYPES: readonly string[] = [VM_TYPE, CONTAINER_TYPE];

/** A guest as `GET /cluster/resources?type=vm` lists it. */
export interface ClusterGuest {
  readonly vmid: number;
  readonly node: string;
  readonly type?: string;
  readonly name?: string;
  readonly pool?: string;
  readonly tags?: string;
  readonly template?: number;
  readonly lock?: string;
}

/** A guest that belongs to the environment in PVE but not in the Terraform state. */
export interface Orphan {
  readonly vmId: number;
  /** `qemu` (a VM) or `lxc` (a container), as PVE's API paths name them. */
  readonly type: "qemu" | "lxc";
  readonly node: string;
  readonly name: string;
  /** Why it counts as the environment's: `pool dev`, `id in vmIdRange 3000-3099`. */
  readonly mark: string;
  /** The configured VM resource of the same name, which `terraform import` can adopt it into. */
  readonly importAddress?: string;
}

/** Every guest of the cluster (VMs and containers), with pool, tags and lock. */
export async function clusterGuests(conn: PveConnection): Promise<ClusterGuest[]> {
  return pveRequest<ClusterGuest[]>(conn, "GET", "/cluster/resources", { type: "vm" });
}

interface ModuleJson {
  readonly resources?: readonly {
    readonly address: string;
    readonly type: string;
    readonly values?: Record<string, unknown>;
    readonly expressions?: Record<string, { constant_value?: unknown }>;
  }[];
  readonly child_modules?: readonly ModuleJson[];
}

function resourcesOf(mod: ModuleJson | undefined): NonNullable<ModuleJson["resources"]> {
  if (!mod) return [];
  return [...(mod.resources ?? []), ...(mod.child_modules ?? []).flatMap(resourcesOf)];
}

/** VM and container ids the Terraform state records, from `terraform show -json` (no plan file). */
export function stateVmIds(stateJson: Record<string, unknown>): Set<number> {
  const root = (stateJson.values as { root_module?: ModuleJson } | undefined)?.root_module;
  return new Set(
    resourcesOf(root)
      .filter((r) => GUEST_TYPES.includes(r.type))
      .map((r) => Number(r.values?.vm_id))
      .filter((n) => Number.isInteger(n)),
  );
}

/**
 * Configured guest addresses by their literal name (a VM's `name`, a container's
 * `initialization.hostname`), from a plan's `configuration` section.
 */
export function configuredVmNames(planJson: Record<string, unknown>): Map<string, string> {
  const root = (planJson.configuration as { root_module?: ModuleJson } | undefined)?.root_module;
  const out = new Map<string, string>();
  for (const r of resourcesOf(root).filter((x) => GUEST_TYPES.includes(x.type))) {
    const init = (r.expressions as Record<string, unknown> | undefined)?.initialization as Array<{ hostname?: { constant_value?: unknown } }> | undefined;
    const name = r.type === CONTAINER_TYPE ? init?.[0]?.hostname?.constant_value : r.expressions?.name?.constant_value;
    if (typeof name === "string") out.set(name, r.address);
  }
  return out;
}

/** Options of {@link findOrphans}. */
export interface OrphanQuery {
  /** Environment name = its PVE pool (every VM of the environment is created in it, clones too). */
  readonly env: string;
  /** VM ids the state records. */
  readonly known: ReadonlySet<number>;
  /** The environment's reserved id range. @default none */
  readonly vmIdRange?: { readonly start: number; readonly end: number };
  /** Configured VM addresses by name (see {@link configuredVmNames}). @default none */
  readonly configured?: ReadonlyMap<string, string>;
}

/**
 * Guests that carry the environment's mark — membership of its pool, or an id in its reserved
 * range — but that the state does not record: e.g. the VM of a clone whose terraform was killed
 * before it wrote the state. Terraform never sees them, so its plan says nothing about them.
 */
export function findOrphans(guests: readonly ClusterGuest[], q: OrphanQuery): Orphan[] {
  return guests
    .filter((g) => ["qemu", "lxc"].includes(g.type ?? "qemu") && !q.known.has(g.vmid))
    .flatMap((g): Orphan[] => {
      const inRange = q.vmIdRange && g.vmid >= q.vmIdRange.start && g.vmid <= q.vmIdRange.end;
      const mark = g.pool === q.env ? `pool ${q.env}` : inRange ? `id in vmIdRange ${q.vmIdRange?.start}-${q.vmIdRange?.end}` : undefined;
      if (!mark) return [];
      const type = g.type === "lxc" ? "lxc" : "qemu";
      const name = g.name ?? `${type === "lxc" ? "CT" : "VM"} ${g.vmid}`;
      return [{ vmId: g.vmid, type, node: g.node, name, mark, importAddress: q.configured?.get(name) }];
    })
    .sort((a, b) => a.vmId - b.vmId);
}

/** Lines for the terminal: each orphan with the command that adopts it or removes it. */
export function formatOrphans(orphans: readonly Orphan[], workdir: string): string[] {
  if (orphans.length === 0) return [];
  return [
    `Orphans: ${orphans.length} guest(s) of this environment that Terraform does not know (not in state):`,
    ...orphans.flatMap((o) => [
      `  ${o.type === "lxc" ? "CT" : "VM"} ${o.vmId} "${o.name}" on ${o.node} (${o.mark})`,
      ...(o.importAddress ? [`    adopt:  (cd ${workdir} && terraform import '${o.importAddress}' ${o.node}/${o.vmId})`] : []),
      `    remove: pvesh delete /nodes/${o.node}/${o.type}/${o.vmId} --purge 1 --destroy-unreferenced-disks 1   (on a PVE node)`,
    ]),
  ];
}
