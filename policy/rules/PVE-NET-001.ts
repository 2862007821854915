import { PolicyRule, CIS } from "../rule";
import { blocks, bool, num, str } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** The bridge PVE creates at installation, shared with the hosts' management network. */
export const DEFAULT_BRIDGE = "vmbr0";

/** PVE-NET-001: staging and prod VMs are segmented from the default bridge. */
export const rule: PolicyRule = {
  id: "PVE-NET-001",
  severity: "warning",
  description: "Staging and prod VMs are not attached untagged to the default bridge vmbr0 (the hosts' management LAN).",
  remediation: "Attach the VM to the environment's SDN vnet (EnvironmentNetwork) or set a VLAN tag (vlanId) on the NIC.",
  mappings: [CIS.networkArchitecture],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) => {
      const stage = ctx.stageOf(vm);
      if (stage !== "staging" && stage !== "prod") return [];
      return ctx.each(
        blocks(vm.config, "network_device").map((nic, i) => ({ nic, i })),
        ({ nic, i }) =>
          bool(nic, "enabled") !== false && (str(nic, "bridge") ?? DEFAULT_BRIDGE) === DEFAULT_BRIDGE && !num(nic, "vlan_id")
            ? [
                {
                  subject: vm.construct,
                  message: `${stage} ${vmLabel(vm)}: network_device #${i + 1} is on ${DEFAULT_BRIDGE} without a VLAN tag, in the same segment as the PVE hosts.`,
                },
              ]
            : [],
      );
    });
  },
};
