import { PolicyRule, CIS } from "../rule";
import { exposureMessage, exposures } from "../firewall-exposure";

/** PVE-FW-006: SSH is never open to the whole internet. */
export const rule: PolicyRule = {
  id: "PVE-FW-006",
  severity: "error",
  description: "No firewall rule or security group accepts SSH (tcp/22) from any address (0.0.0.0/0, ::/0 or no source).",
  remediation: "Allow SSH only from a management network, bastion or IP set (connections.allowFrom(Peer.ipset(admins), Port.SSH)).",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return exposures(ctx, [22]).map((e) => ({ subject: e.resource.construct, message: exposureMessage(e, "SSH") }));
  },
};
