import { registerClusterResources } from "../cluster-resources";
import type { SimContext } from "../context";
import { ctResourceRow } from "../lxc/ct-status";
import { allCts } from "../lxc/ct-store";
import type { Route } from "../route";
import { lxcCloneRoutes } from "./lxc-clone";
import { lxcConfigRoutes } from "./lxc-config";
import { lxcCreateRoutes } from "./lxc-create";
import { lxcDestroyRoutes } from "./lxc-destroy";
import { lxcStatusRoutes } from "./lxc-status";
import { poolOfVm } from "./pools";

// Every container is an `lxc` row of /cluster/resources (bpg/proxmox finds a guest's node there;
// /cluster/nextid counts these rows, so VM and CT ids share one space).
registerClusterResources((sim: SimContext) => allCts(sim.state).map((ct) => ctResourceRow(ct, poolOfVm(sim.state, ct.vmid))));

/** The LXC family: create, config, power, clone/template, destroy (firewall routes live in the firewall family). */
export const routes: Route[] = [...lxcCreateRoutes, ...lxcConfigRoutes, ...lxcStatusRoutes, ...lxcCloneRoutes, ...lxcDestroyRoutes];
