import { registerClusterResources } from "../cluster-resources";
import type { SimContext } from "../context";
import { route, type ApiRequest, type Route } from "../route";
import { commitConfig, sdnSlice } from "../sdn/sdn-store";
import { sdnSubnetRoutes } from "./sdn-subnets";
import { sdnVnetRoutes } from "./sdn-vnets";
import { sdnZoneRoutes } from "./sdn-zones";

/**
 * `PUT /cluster/sdn` (proxmox_virtual_environment_sdn_applier): the edited config becomes the
 * running one at once and a `reloadnetworkall` task is returned, which the provider waits for.
 */
function applyConfig(req: ApiRequest, sim: SimContext): string {
  commitConfig(sim.state);
  const node = sim.settings.nodes[0];
  return sim.startTask(node, "reloadnetworkall", "", req.auth.userid, (task) => {
    for (const n of sim.settings.nodes) task.log(`${n}: reloading network config`);
  });
}

// One `sdn` row per node and applied zone, as /cluster/resources lists them.
registerClusterResources((sim) => {
  const { running } = sdnSlice(sim.state);
  return Object.keys(running.zones)
    .sort()
    .flatMap((zone) =>
      sim.settings.nodes
        .filter((node) => !running.zones[zone].nodes || running.zones[zone].nodes.split(",").includes(node))
        .map((node) => ({ id: `sdn/${node}/${zone}`, type: "sdn", sdn: zone, node, status: "ok" })),
    );
});

/** The SDN family: zones, vnets, subnets, and the apply call. */
export const routes: Route[] = [
  route("GET", "/cluster/sdn", () => ["vnets", "zones", "controllers", "ipams", "dns", "fabrics"].map((id) => ({ id }))),
  route("PUT", "/cluster/sdn", applyConfig),
  ...sdnZoneRoutes,
  ...sdnVnetRoutes,
  ...sdnSubnetRoutes,
];
