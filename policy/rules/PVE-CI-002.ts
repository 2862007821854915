import { PolicyRule, DEVSEC } from "../rule";
import { block, str, value } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-CI-002: cloud-init users get at least one SSH key. */
export const rule: PolicyRule = {
  id: "PVE-CI-002",
  severity: "error",
  description: "A cloud-init user account defined for a VM carries at least one SSH public key.",
  remediation: "Set initialization.user_account.keys to at least one OpenSSH public key (HardenedVm requires user.sshKeys).",
  mappings: [DEVSEC.pubkeyAuthentication],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) => {
      const account = block(block(vm.config, "initialization"), "user_account");
      if (!account) return [];
      const listed = value(account, "keys");
      const keys = Array.isArray(listed) ? listed.filter((k) => k !== null && k !== "") : [];
      if (keys.length > 0) return [];
      return [{ subject: vm.construct, message: `${vmLabel(vm)}: the cloud-init user "${str(account, "username") ?? "(image default)"}" has no SSH key.` }];
    });
  },
};
