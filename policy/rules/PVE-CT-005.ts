import { PolicyRule, CIS } from "../rule";
import { containerLabel, designatesContainer, runningContainers } from "../container-queries";
import { PolicyResource } from "../policy-resource";
import { T } from "../resource-types";
import { blocks, bool, raw } from "../values";

/** PVE-CT-005: every container's PVE firewall is on, at container and NIC level. */
export const rule: PolicyRule = {
  id: "PVE-CT-005",
  severity: "error",
  description:
    "The PVE firewall of every container is on: a firewall_options resource (container_id) with enabled = true, and firewall = true on every network interface.",
  remediation:
    "Use HardenedContainer (firewall on by default) or add a proxmox_virtual_environment_firewall_options resource with the container's container_id and enabled = true, and set firewall = true on each network_interface.",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    const options = ctx.ofType(T.firewallOptions);
    return ctx.each(runningContainers(ctx), (ct) => {
      const own: PolicyResource[] = options.filter((o) => designatesContainer(raw(o.config, "container_id"), ct));
      const found = ctx.each(blocks(ct.config, "network_interface"), (nic) =>
        bool(nic, "firewall") === true
          ? []
          : [
              {
                subject: ct.construct,
                message: `${containerLabel(ct)}: network interface ${JSON.stringify(raw(nic, "name") ?? "?")} has firewall = ${JSON.stringify(raw(nic, "firewall") ?? null)} (bpg/proxmox's default is off), so PVE filters none of its traffic.`,
              },
            ],
      );
      if (own.length === 0) {
        return [
          ...found,
          { subject: ct.construct, message: `${containerLabel(ct)} has no firewall_options resource, so its firewall stays at PVE's default: disabled.` },
        ];
      }
      return [
        ...found,
        ...ctx.each(own, (o) =>
          bool(o.config, "enabled") === true
            ? []
            : [
                {
                  subject: o.construct,
                  message: `${containerLabel(ct)}: firewall_options ${o.address} has enabled = ${JSON.stringify(raw(o.config, "enabled") ?? null)}, so no rule of the container is enforced.`,
                },
              ],
        ),
      ];
    });
  },
};
