import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { runningVms } from "../vm-queries";

/** PVE-FW-005: a stack with VMs also manages the cluster firewall switch. */
export const rule: PolicyRule = {
  id: "PVE-FW-005",
  severity: "warning",
  description: "A stack that creates VMs also manages the cluster firewall, so the VM firewalls are known to be enforced.",
  remediation: "Add a ClusterFirewall to the stack, or suppress this rule on the stack naming the stack that manages the cluster firewall.",
  mappings: [CIS.firewallOnServers],
  terraformOnly: "it is about which stack manages the cluster firewall; a live cluster always has one, judged by PVE-FW-004.",
  check(ctx) {
    const vms = runningVms(ctx);
    if (vms.length === 0 || ctx.ofType(T.clusterFirewall).length > 0) return [];
    return [
      {
        subject: ctx.stack,
        message: `stack "${ctx.stack.node.id}" creates ${vms.length} VM(s) but no proxmox_virtual_environment_cluster_firewall: VM firewalls do nothing while the datacenter firewall is off (PVE's default).`,
      },
    ];
  },
};
