import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { str } from "../values";

/** PVE-FW-010: the hosts drop inbound traffic by default. */
export const rule: PolicyRule = {
  id: "PVE-FW-010",
  severity: "warning",
  description: "The inbound policy of the cluster firewall (the PVE hosts) is DROP.",
  remediation: 'Set input_policy = "DROP" on the cluster firewall (ClusterFirewall\'s default); PVE keeps its management ports open from the local network.',
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return ctx.each(ctx.ofType(T.clusterFirewall), (c) => {
      const policy = str(c.config, "input_policy");
      return policy === undefined || policy === "DROP"
        ? []
        : [{ subject: c.construct, message: `${c.address} has input_policy = "${policy}" for the PVE hosts.` }];
    });
  },
};
