/**
 * What `proxmox-cdk scan` reads from a Proxmox VE cluster, as the API answers it (PVE's own JSON,
 * unchanged): the input of the live mapper (live-stack.ts) and the format of the live rule
 * fixtures. Every field is what one GET returned; nothing here is interpreted yet.
 */

/** A PVE API object as returned (`GET …/config`, `GET …/firewall/options`, a list row). */
export type PveObject = Readonly<Record<string, unknown>>;

/** Firewall objects of one level (cluster or guest). */
export interface LiveFirewall {
  /** `GET …/firewall/options`. */
  readonly options: PveObject;
  /** `GET …/firewall/rules`, in position order. */
  readonly rules: readonly PveObject[];
  /** `GET …/firewall/ipset` rows, each with its entries (`GET …/firewall/ipset/{name}`). @default none */
  readonly ipsets?: readonly { readonly name: string; readonly comment?: string; readonly entries: readonly PveObject[] }[];
  /** `GET …/firewall/aliases`. @default none */
  readonly aliases?: readonly PveObject[];
}

/** One VM or container. */
export interface LiveGuest {
  /** `qemu` (VM or template) or `lxc` (container). */
  readonly type: "qemu" | "lxc";
  readonly node: string;
  readonly vmid: number;
  /** Pool the guest is in (`GET /cluster/resources` row `pool`). @default none */
  readonly pool?: string;
  /** `GET /nodes/{node}/{type}/{vmid}/config`. */
  readonly config: PveObject;
  /** The guest's firewall. */
  readonly firewall: LiveFirewall;
}

/** Everything scan reads of one cluster. */
export interface LiveSnapshot {
  /** Node names (`GET /nodes`). */
  readonly nodes: readonly string[];
  /** The datacenter firewall, with its security groups (`GET /cluster/firewall/groups/{group}`). */
  readonly cluster: LiveFirewall & { readonly groups?: readonly { readonly group: string; readonly comment?: string; readonly rules: readonly PveObject[] }[] };
  readonly guests: readonly LiveGuest[];
  /** `GET /access/acl`. */
  readonly acl: readonly PveObject[];
  /** `GET /access/users?full=1` (each with `tokens`; secrets are never part of it). */
  readonly users: readonly PveObject[];
  /** `GET /access/roles`. */
  readonly roles: readonly PveObject[];
  /** `GET /cluster/backup`. */
  readonly backupJobs: readonly PveObject[];
  /** `GET /cluster/ha/resources`. */
  readonly haResources: readonly PveObject[];
  /**
   * `GET /storage`: the storage.cfg entries the token may audit (`Datastore.Audit`), as
   * pve-storage's `API2::Storage::Config::index` answers them (a PBS entry's `encryption-key` is
   * the key's fingerprint, never the key; no password).
   */
  readonly storages: readonly PveObject[];
}
