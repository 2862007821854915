import { PolicyRule, CIS } from "../rule";
import { exposureViolations, presetLabel, presetsIn } from "../firewall-exposure";

/** The admin presets other than SSH (which PVE-FW-006 watches): RDP, WinRM, Kubernetes, …. */
const WATCHED = presetsIn("admin").filter((name) => name !== "ssh");

/** PVE-FW-007: remote administration is never open to the whole internet. */
export const rule: PolicyRule = {
  id: "PVE-FW-007",
  severity: "error",
  description: `No firewall rule or security group accepts a remote-administration port — the admin presets other than SSH: ${WATCHED.map(presetLabel).join(", ")} — from any address.`,
  remediation: "Allow remote administration only from a management network or a bastion/VPN IP set, never 0.0.0.0/0.",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return exposureViolations(ctx, WATCHED, "remote administration");
  },
};
