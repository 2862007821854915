import { PolicyRule, CIS } from "../rule";
import { exposureMessage, exposures } from "../firewall-exposure";

/** PVE-FW-007: Windows remote administration is never open to the whole internet. */
export const rule: PolicyRule = {
  id: "PVE-FW-007",
  severity: "error",
  description: "No firewall rule or security group accepts RDP (tcp/3389) or WinRM (tcp/5985, tcp/5986) from any address.",
  remediation: "Allow RDP/WinRM only from a management network or a bastion/VPN IP set, never 0.0.0.0/0.",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return exposures(ctx, [3389, 5985, 5986]).map((e) => ({ subject: e.resource.construct, message: exposureMessage(e, "remote administration") }));
  },
};
