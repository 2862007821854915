import type { Route } from "../route";
import * as access from "./access";
import * as backup from "./backup";
import * as firewall from "./firewall";
import * as ha from "./ha";
import * as lxc from "./lxc";
import * as nodes from "./nodes";
import * as pools from "./pools";
import * as qemu from "./qemu";
import * as sdn from "./sdn";
import * as storage from "./storage";
import * as tasks from "./tasks";

/**
 * Every route family of the simulator. To add a family: create `sim/routes/<family>.ts` exporting
 * `routes: Route[]`, import it here and add it to {@link FAMILIES}. The core refuses to start if a
 * route is not a path/method of the PVE schema or is defined by two families.
 */
const FAMILIES: ReadonlyArray<{ readonly routes: readonly Route[] }> = [access, backup, firewall, ha, lxc, nodes, pools, qemu, sdn, storage, tasks];

/** All routes of all families. */
export const allRoutes: readonly Route[] = FAMILIES.flatMap((f) => f.routes);
