import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { asBool, bool, raw, unevaluable } from "../values";
import { clonedFromElsewhere, effectiveAttr, effectiveBlock, isWindows, vmLabel } from "../vm-queries";

/** PVE-HW-001: Windows guests boot with UEFI Secure Boot. */
export const rule: PolicyRule = {
  id: "PVE-HW-001",
  severity: "error",
  description: "Windows VMs (ostype win*) boot UEFI (bios = ovmf) with an EFI disk whose Secure Boot keys are pre-enrolled.",
  remediation: 'Use WindowsVm, or set bios = "ovmf" and efi_disk { pre_enrolled_keys = true } (on the template for clones).',
  mappings: [],
  check(ctx) {
    return ctx.each(ctx.ofType(T.vm), (vm) => {
      if (!isWindows(ctx, vm)) return [];
      const bios = effectiveAttr(ctx, vm, "bios");
      const efi = effectiveBlock(ctx, vm, "efi_disk");
      if ((bios === undefined || bios === null || !efi) && clonedFromElsewhere(ctx, vm)) {
        unevaluable(vm.config, !efi ? "efi_disk" : "bios", "the VM is cloned from a VM outside this stack and inherits it from there");
      }
      const problems: string[] = [];
      if (bios !== "ovmf") problems.push(`bios is ${JSON.stringify(bios ?? "seabios (default)")}`);
      if (!efi) problems.push("there is no efi_disk");
      else if (bool(efi, "pre_enrolled_keys") !== true)
        problems.push(`efi_disk.pre_enrolled_keys is ${JSON.stringify(asBool(raw(efi, "pre_enrolled_keys")) ?? null)}, not true`);
      if (problems.length === 0) return [];
      return [{ subject: vm.construct, message: `Windows ${vmLabel(vm)} boots without Secure Boot: ${problems.join(", ")}.` }];
    });
  },
};
