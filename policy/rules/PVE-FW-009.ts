import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { bool } from "../values";

/** PVE-FW-009: guests cannot send frames with another guest's MAC address. */
export const rule: PolicyRule = {
  id: "PVE-FW-009",
  severity: "warning",
  description: "The MAC address filter of every guest firewall is on, so a guest cannot spoof another MAC.",
  remediation: "Leave macfilter at true (HardenedVm's default; firewall.macFilter: true).",
  mappings: [],
  check(ctx) {
    return ctx.each(ctx.ofType(T.firewallOptions), (o) =>
      bool(o.config, "macfilter") === false
        ? [{ subject: o.construct, message: `${o.address} has macfilter = false: the guest can send frames with any source MAC.` }]
        : [],
    );
  },
};
