import { pveCall } from "../harness/pve-client";

/** A running simulator as the API helpers need it. */
export interface SimApi {
  readonly endpoint: string;
  readonly caCertPath: string;
  readonly apiToken: string;
}

type Data = any;

/** GET through the API as the simulator's root token; throws unless the answer is 200. */
export async function apiGet(sim: SimApi, path: string, args?: Record<string, string | number>): Promise<Data> {
  const r = await pveCall(sim, "GET", path, { token: sim.apiToken, args });
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.statusMessage}`);
  return r.body.data;
}

/** Sends a write as the simulator's root token; throws unless the answer is 200. */
export async function apiWrite(sim: SimApi, method: "POST" | "PUT" | "DELETE", path: string, args?: Record<string, string | number>): Promise<Data> {
  const r = await pveCall(sim, method, path, { token: sim.apiToken, args });
  if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${r.statusMessage}`);
  return r.body.data;
}

/** What {@link leftovers} answers for an empty simulator. */
export const NOTHING_LEFT: Readonly<Record<string, unknown[]>> = {
  vms: [],
  volumes: [],
  clusterRules: [],
  securityGroups: [],
  ipsets: [],
  aliases: [],
  pools: [],
  backupJobs: [],
  haResources: [],
  sdnZones: [],
  sdnVnets: [],
  sdnPending: [],
};

/** Everything an environment can leave behind, read through the API (to prove a destroy left nothing). */
export async function leftovers(sim: SimApi): Promise<Record<string, unknown[]>> {
  const vms = (await apiGet(sim, "/cluster/resources", { type: "vm" })) as Array<{ vmid: number }>;
  const nodes = (await apiGet(sim, "/nodes")) as Array<{ node: string }>;
  const volumes: string[] = [];
  for (const { node } of nodes) {
    for (const storage of ["local", "local-lvm"]) {
      const content = (await apiGet(sim, `/nodes/${node}/storage/${storage}/content`)) as Array<{ volid: string }>;
      volumes.push(...content.map((c) => c.volid));
    }
  }
  return {
    vms: vms.map((v) => v.vmid),
    volumes,
    clusterRules: await apiGet(sim, "/cluster/firewall/rules"),
    securityGroups: await apiGet(sim, "/cluster/firewall/groups"),
    ipsets: await apiGet(sim, "/cluster/firewall/ipset"),
    aliases: await apiGet(sim, "/cluster/firewall/aliases"),
    pools: await apiGet(sim, "/pools"),
    backupJobs: await apiGet(sim, "/cluster/backup"),
    haResources: await apiGet(sim, "/cluster/ha/resources"),
    sdnZones: await apiGet(sim, "/cluster/sdn/zones"),
    sdnVnets: await apiGet(sim, "/cluster/sdn/vnets"),
    sdnPending: (await apiGet(sim, "/cluster/sdn/zones", { pending: 1 })) as unknown[],
  };
}
