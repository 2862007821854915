import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { bool, raw } from "../values";

/** PVE-FW-004: the datacenter firewall is switched on. */
export const rule: PolicyRule = {
  id: "PVE-FW-004",
  severity: "error",
  description: "The cluster (datacenter) firewall is enabled; without it no VM or host rule is enforced.",
  remediation: "Use ClusterFirewall with its defaults, or set enabled = true on proxmox_virtual_environment_cluster_firewall.",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return ctx.each(ctx.ofType(T.clusterFirewall), (c) =>
      bool(c.config, "enabled") === true
        ? []
        : [
            {
              subject: c.construct,
              message: `${c.address} has enabled = ${JSON.stringify(raw(c.config, "enabled") ?? null)} (unset means PVE's default: off), so the whole cluster runs unfiltered.`,
            },
          ],
    );
  },
};
