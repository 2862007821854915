import { PolicyRule, CIS } from "../rule";
import { blocks, bool, raw } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-FW-002: every NIC passes through the PVE firewall. */
export const rule: PolicyRule = {
  id: "PVE-FW-002",
  severity: "error",
  description: "Every network device of a VM has the firewall flag set (firewall=1), so VM rules apply to it.",
  remediation: "Set firewall = true on each network_device (HardenedVm does unless firewall.enabled is false).",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.each(
        blocks(vm.config, "network_device").map((nic, i) => ({ nic, i })),
        ({ nic, i }) =>
          bool(nic, "enabled") === false || bool(nic, "firewall") === true
            ? []
            : [
                {
                  subject: vm.construct,
                  message: `${vmLabel(vm)}: network_device #${i + 1} (bridge ${JSON.stringify(raw(nic, "bridge") ?? "vmbr0")}) has firewall = ${JSON.stringify(raw(nic, "firewall") ?? null)}, so its traffic bypasses the VM firewall.`,
                },
              ],
      ),
    );
  },
};
