import { PolicyRule } from "../rule";
import { block, str } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-HW-003: VMs in a cluster can live-migrate. */
export const rule: PolicyRule = {
  id: "PVE-HW-003",
  severity: "warning",
  description: "In a cluster of more than one node, VMs do not use cpu type host, which pins them to identical CPUs and breaks live migration.",
  remediation: "Use a named CPU model such as x86-64-v2-AES or x86-64-v3 (HardenedVm's default is x86-64-v2-AES).",
  mappings: [],
  check(ctx) {
    if (ctx.nodeCount < 2) return [];
    return ctx.each(runningVms(ctx), (vm) =>
      str(block(vm.config, "cpu"), "type") === "host"
        ? [
            {
              subject: vm.construct,
              message: `${vmLabel(vm)} uses cpu type "host" in a ${ctx.nodeCount}-node cluster: it cannot live-migrate to a node with another CPU model.`,
            },
          ]
        : [],
    );
  },
};
