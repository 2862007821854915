import type { SimContext } from "./context";

/**
 * One row of `GET /cluster/resources`. bpg/proxmox decodes rows strictly: `vmid`, `maxdisk`,
 * `maxmem`, `mem`, `disk`, `uptime` are integers, `cpu` and `maxcpu` numbers, the rest strings.
 */
export interface ClusterResource {
  /** `node/pve1`, `qemu/100`, `lxc/101`, `storage/pve1/local`, `sdn/pve1/localnetwork`, `pool/web`. */
  readonly id: string;
  /** `node`, `qemu`, `lxc`, `storage`, `sdn`, `pool`. */
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A family's contribution to `GET /cluster/resources`. */
export type ResourceContributor = (sim: SimContext) => readonly ClusterResource[];

const contributors: ResourceContributor[] = [];

/**
 * Registers a contributor of cluster resource rows. Call it at module top level of a route
 * family (`registerClusterResources((sim) => vms.map(…))`); registering the same function twice
 * is a no-op, so reloading a module is harmless.
 */
export function registerClusterResources(contributor: ResourceContributor): void {
  if (!contributors.includes(contributor)) contributors.push(contributor);
}

/** Every registered row, in registration order. */
export function clusterResources(sim: SimContext): ClusterResource[] {
  return contributors.flatMap((c) => c(sim));
}

/** Maps the `type` filter of `GET /cluster/resources` (`vm` = qemu + lxc) to row types. */
export function resourceTypeMatches(filter: string | undefined, rowType: string): boolean {
  if (filter === undefined) return true;
  if (filter === "vm") return rowType === "qemu" || rowType === "lxc";
  return filter === rowType;
}
