import { LiveFirewall, LiveGuest, LiveSnapshot, PveObject } from "./live-snapshot";
import { PveReader } from "./pve-reader";

/** Options of {@link readLiveSnapshot}. */
export interface ReadSnapshotOptions {
  /**
   * Most guests (VMs, templates, containers) to read; a cluster with more is refused before any
   * guest is read, so a scan never runs unbounded.
   * @default 5000
   */
  readonly maxGuests?: number;
  /**
   * Called after each guest is read, with the number read and the total.
   * @default none
   */
  readonly onGuest?: (done: number, total: number) => void;
}

/** Default of {@link ReadSnapshotOptions.maxGuests}. */
export const DEFAULT_MAX_GUESTS = 5000;

interface ResourceRow {
  readonly type?: string;
  readonly vmid?: number | string;
  readonly node?: string;
  readonly pool?: string;
}

/**
 * Reads what scan judges, GET only: nodes, the cluster firewall (options, rules, security groups,
 * IP sets, aliases), every VM and container (`/cluster/resources?type=vm`, then each one's config
 * and firewall), ACLs, users with their tokens, roles, backup jobs, HA resources and storage definitions.
 */
export async function readLiveSnapshot(reader: PveReader, options: ReadSnapshotOptions = {}): Promise<LiveSnapshot> {
  const maxGuests = options.maxGuests ?? DEFAULT_MAX_GUESTS;
  if (!Number.isInteger(maxGuests) || maxGuests < 1) throw new Error(`maxGuests must be a positive integer, got ${maxGuests}.`);
  const list = (path: string, args: Record<string, string | number> = {}) => reader.get<PveObject[]>(path, args).then(asRows);
  const [nodes, resources, cluster, acl, users, roles, backupJobs, haResources, storages] = await Promise.all([
    list("/nodes"),
    list("/cluster/resources", { type: "vm" }),
    readFirewall(reader, "/cluster/firewall").then(async (fw) => ({ ...fw, groups: await readGroups(reader) })),
    list("/access/acl"),
    list("/access/users", { full: 1 }),
    list("/access/roles"),
    list("/cluster/backup"),
    list("/cluster/ha/resources"),
    // The index, not GET /storage/{storage}: reading one entry needs Datastore.Allocate, the index only Datastore.Audit.
    list("/storage"),
  ]);
  const rows = (resources as ResourceRow[]).filter((r) => r.type === "qemu" || r.type === "lxc");
  if (rows.length > maxGuests) {
    throw new Error(`the cluster has ${rows.length} guests, more than the limit of ${maxGuests}: raise it with --max-guests ${rows.length} to scan them all.`);
  }
  let done = 0;
  const guests = await Promise.all(
    rows.map(async (row): Promise<LiveGuest> => {
      const type = row.type as "qemu" | "lxc";
      const node = checkedNode(row.node);
      const vmid = checkedVmid(row.vmid);
      const base = `/nodes/${encodeURIComponent(node)}/${type}/${vmid}`;
      const [config, firewall] = await Promise.all([reader.get<PveObject>(`${base}/config`), readFirewall(reader, `${base}/firewall`)]);
      options.onGuest?.(++done, rows.length);
      return { type, node, vmid, ...(typeof row.pool === "string" && row.pool !== "" ? { pool: row.pool } : {}), config: config ?? {}, firewall };
    }),
  );
  guests.sort((a, b) => a.vmid - b.vmid);
  return {
    nodes: nodes.map((n) => String(n.node)).sort(),
    cluster,
    guests,
    acl,
    users,
    roles,
    backupJobs,
    haResources,
    storages,
  };
}

async function readFirewall(reader: PveReader, base: string): Promise<LiveFirewall> {
  const [options, rules, ipsetRows, aliases] = await Promise.all([
    reader.get<PveObject>(`${base}/options`),
    reader.get<PveObject[]>(`${base}/rules`).then(asRows),
    reader.get<PveObject[]>(`${base}/ipset`).then(asRows),
    reader.get<PveObject[]>(`${base}/aliases`).then(asRows),
  ]);
  const ipsets = await Promise.all(
    ipsetRows.map(async (row) => {
      const name = String(row.name);
      const entries = asRows(await reader.get<PveObject[]>(`${base}/ipset/${encodeURIComponent(name)}`));
      return { name, ...(typeof row.comment === "string" ? { comment: row.comment } : {}), entries };
    }),
  );
  return { options: options ?? {}, rules: [...rules].sort(byPos), ipsets, aliases };
}

async function readGroups(reader: PveReader): Promise<NonNullable<LiveSnapshot["cluster"]["groups"]>> {
  const rows = asRows(await reader.get<PveObject[]>("/cluster/firewall/groups"));
  return Promise.all(
    rows.map(async (row) => {
      const group = String(row.group);
      const rules = asRows(await reader.get<PveObject[]>(`/cluster/firewall/groups/${encodeURIComponent(group)}`));
      return { group, ...(typeof row.comment === "string" ? { comment: row.comment } : {}), rules: [...rules].sort(byPos) };
    }),
  );
}

function asRows(v: unknown): PveObject[] {
  return Array.isArray(v) ? v.filter((r): r is PveObject => typeof r === "object" && r !== null) : [];
}

function byPos(a: PveObject, b: PveObject): number {
  return Number(a.pos ?? 0) - Number(b.pos ?? 0);
}

/** A node name as PVE allows it (pve-node format); anything else is refused rather than put in a path. */
function checkedNode(node: unknown): string {
  if (typeof node !== "string" || !/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(node)) {
    throw new Error(`/cluster/resources lists a guest on node ${JSON.stringify(node)}, which is not a PVE node name.`);
  }
  return node;
}

function checkedVmid(vmid: unknown): number {
  const n = typeof vmid === "string" ? Number(vmid) : vmid;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 100 || n > 999_999_999) {
    throw new Error(`/cluster/resources lists a guest with id ${JSON.stringify(vmid)}, which is not a PVE guest id.`);
  }
  return n;
}
