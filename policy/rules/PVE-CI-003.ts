import { PolicyRule, CIS, DEVSEC } from "../rule";
import { block, str } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-CI-003: cloud-init never configures root for login. */
export const rule: PolicyRule = {
  id: "PVE-CI-003",
  severity: "error",
  description: "The cloud-init user of a VM is not root.",
  remediation: 'Use an unprivileged user with sudo (HardenedVm\'s default "ops") as initialization.user_account.username.',
  mappings: [CIS.defaultAccounts, DEVSEC.noRootLogin],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      str(block(block(vm.config, "initialization"), "user_account"), "username") === "root"
        ? [{ subject: vm.construct, message: `${vmLabel(vm)}: the cloud-init user is root, so SSH logs in as root.` }]
        : [],
    );
  },
};
