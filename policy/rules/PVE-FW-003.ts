import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { bool, str } from "../values";

/** PVE-FW-003: guest firewalls drop inbound traffic by default. */
export const rule: PolicyRule = {
  id: "PVE-FW-003",
  severity: "error",
  description: "The inbound policy of every guest firewall is DROP (deny by default, silently).",
  remediation: 'Set input_policy = "DROP" (HardenedVm\'s default) and open ports explicitly with connections.allowFrom.',
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return ctx.each(ctx.ofType(T.firewallOptions), (o) => {
      if (bool(o.config, "enabled") === false) return [];
      const policy = str(o.config, "input_policy");
      if (policy === undefined || policy === "DROP") return [];
      return [
        {
          subject: o.construct,
          message: `${o.address} has input_policy = "${policy}"${policy === "ACCEPT" ? ", which lets every port in" : ", which answers probes and reveals the guest"}.`,
        },
      ];
    });
  },
};
