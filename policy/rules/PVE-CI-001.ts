import { PolicyRule, DEVSEC } from "../rule";
import { block, isSet, raw } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-CI-001: cloud-init users log in with keys, not passwords. */
export const rule: PolicyRule = {
  id: "PVE-CI-001",
  severity: "warning",
  description: "No cloud-init user of a VM has a password (login is by SSH key only).",
  remediation:
    "Remove initialization.user_account.password (HardenedVm: drop user.password and allowPasswordLogin); use SSH keys and the serial console via the PVE API.",
  mappings: [DEVSEC.noPasswordAuthentication],
  check(ctx) {
    // A password from a variable is still a password: being set is known even when its value is not.
    return ctx.each(runningVms(ctx), (vm) =>
      isSet(raw(block(block(vm.config, "initialization"), "user_account"), "password"))
        ? [{ subject: vm.construct, message: `${vmLabel(vm)}: the cloud-init user has a password, so it can log in without a key.` }]
        : [],
    );
  },
};
