import { PolicyRule, CIS } from "../rule";
import { exposureViolations, presetLabel } from "../firewall-exposure";

/** PVE-FW-006: SSH is never open to the whole internet. */
export const rule: PolicyRule = {
  id: "PVE-FW-006",
  severity: "error",
  description: `No firewall rule or security group accepts SSH (the preset ${presetLabel("ssh")}, also through PVE's SSH macro) from any address (0.0.0.0/0, ::/0 or no source).`,
  remediation: "Allow SSH only from a management network, bastion or IP set (connections.allowFrom(Peer.ipset(admins), Port.SSH)).",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return exposureViolations(ctx, ["ssh"], "SSH");
  },
};
