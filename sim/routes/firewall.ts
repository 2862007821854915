import { CLUSTER_FIREWALL, CT_FIREWALL, NODE_FIREWALL, VM_FIREWALL } from "../firewall/levels";
import { route, type Route } from "../route";
import { firewallAliasRoutes } from "./firewall-aliases";
import { firewallGroupRoutes } from "./firewall-groups";
import { firewallIpsetRoutes } from "./firewall-ipsets";
import { firewallOptionRoutes } from "./firewall-options";
import { firewallRuleRoutes } from "./firewall-rules";

const index = (names: readonly string[]) => () => names.map((name) => ({ name }));

/**
 * The firewall family: options, rules, security groups, aliases and ipsets at cluster, node,
 * VM and container level, plus the directory indexes PVE answers for `…/firewall`.
 */
export const routes: Route[] = [
  route("GET", CLUSTER_FIREWALL, index(["aliases", "rules", "options", "groups", "ipset", "macros", "refs"])),
  route("GET", NODE_FIREWALL, index(["rules", "options", "log"])),
  route("GET", VM_FIREWALL, index(["rules", "aliases", "ipset", "refs", "options", "log"])),
  route("GET", CT_FIREWALL, index(["rules", "aliases", "ipset", "refs", "options", "log"])),
  ...firewallOptionRoutes,
  ...firewallRuleRoutes,
  ...firewallGroupRoutes,
  ...firewallAliasRoutes,
  ...firewallIpsetRoutes,
];
