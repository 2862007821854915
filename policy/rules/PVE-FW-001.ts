import { PolicyRule, CIS } from "../rule";
import { T } from "../resource-types";
import { bool, raw } from "../values";
import { PolicyResource } from "../policy-resource";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-FW-001: every VM has its PVE firewall switched on. */
export const rule: PolicyRule = {
  id: "PVE-FW-001",
  severity: "error",
  description: "The PVE firewall of every VM is enabled (a firewall_options resource with enabled = true).",
  remediation: "Use HardenedVm (firewall on by default) or add a proxmox_virtual_environment_firewall_options resource for the VM with enabled = true.",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    const optionsOf = new Map<PolicyResource, PolicyResource[]>();
    for (const o of ctx.ofType(T.firewallOptions)) {
      for (const vm of ctx.vmsDesignatedBy(raw(o.config, "vm_id"))) optionsOf.set(vm, [...(optionsOf.get(vm) ?? []), o]);
    }
    return ctx.each(runningVms(ctx), (vm) => {
      const own = optionsOf.get(vm) ?? [];
      if (own.length === 0) {
        return [{ subject: vm.construct, message: `${vmLabel(vm)} has no firewall_options resource, so its firewall stays at PVE's default: disabled.` }];
      }
      return ctx.each(own, (o) =>
        bool(o.config, "enabled") === true
          ? []
          : [
              {
                subject: o.construct,
                message: `${vmLabel(vm)}: firewall_options ${o.address} has enabled = ${JSON.stringify(raw(o.config, "enabled") ?? null)}, so no rule of the VM is enforced.`,
              },
            ],
      );
    });
  },
};
