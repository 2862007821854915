import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { str, unevaluable } from "../values";
import { clonedFromElsewhere, effectiveBlock, isWindows, vmLabel } from "../vm-queries";

/** PVE-HW-002: Windows guests have a TPM 2.0. */
export const rule: PolicyRule = {
  id: "PVE-HW-002",
  severity: "error",
  description: "Windows VMs have a virtual TPM 2.0 (BitLocker, Credential Guard and Windows 11 need it).",
  remediation: 'Use WindowsVm, or add tpm_state { version = "v2.0" } (on the template for clones).',
  mappings: [],
  check(ctx) {
    return ctx.each(ctx.ofType(T.vm), (vm) => {
      if (!isWindows(ctx, vm)) return [];
      const tpm = effectiveBlock(ctx, vm, "tpm_state");
      if (!tpm && clonedFromElsewhere(ctx, vm)) unevaluable(vm.config, "tpm_state", "the VM is cloned from a VM outside this stack and inherits it from there");
      if (tpm && (str(tpm, "version") ?? "v2.0") !== "v1.2") return [];
      const why = tpm ? `tpm_state.version is "v1.2"` : "there is no tpm_state";
      return [{ subject: vm.construct, message: `Windows ${vmLabel(vm)} has no TPM 2.0: ${why}.` }];
    });
  },
};
