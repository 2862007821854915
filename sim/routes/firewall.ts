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
  route("GET", "/cluster/firewall", index(["aliases", "rules", "options", "groups", "ipset", "macros", "refs"])),
  route("GET", "/nodes/{node}/firewall", index(["rules", "options", "log"])),
  route("GET", "/nodes/{node}/qemu/{vmid}/firewall", index(["rules", "aliases", "ipset", "refs", "options", "log"])),
  route("GET", "/nodes/{node}/lxc/{vmid}/firewall", index(["rules", "aliases", "ipset", "refs", "options", "log"])),
  ...firewallOptionRoutes,
  ...firewallRuleRoutes,
  ...firewallGroupRoutes,
  ...firewallAliasRoutes,
  ...firewallIpsetRoutes,
];
