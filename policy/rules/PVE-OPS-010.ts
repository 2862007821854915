import { DATA_DISK_SERIAL, isEncryptedDataDiskSerial } from "../../constructs/vm-data-disk";
import { CIS, PolicyRule } from "../rule";
import { blocks, raw, str } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/**
 * PVE-OPS-010: the data disks of prod VMs are encrypted in the guest. Neither Terraform nor PVE sees
 * inside a guest, so the rule reads the intent HardenedVm records on each data disk: its serial
 * (`pcdk-luks-<n>`), which the Ansible inventory hands to the luks_data_disk role as the disk to
 * encrypt. The boot disk (the VM's first disk) is not judged: it holds the OS.
 */
export const rule: PolicyRule = {
  id: "PVE-OPS-010",
  severity: "error",
  description: `Every data disk of a prod VM (each disk after the first) is marked for LUKS2 encryption in the guest: its serial is ${DATA_DISK_SERIAL.encrypted}<n>, as HardenedVm sets for encrypted data disks.`,
  remediation:
    "Leave the data disk's encrypted at its default (true) so the guest formats it as LUKS2 unlocked by tang or the VM's vTPM (ansible role luks_data_disk), or suppress with the reason the data may be readable to whoever holds the volume or a backup of it.",
  mappings: [CIS.encryptDataAtRest],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) => {
      if (ctx.stageOf(vm) !== "prod") return [];
      return ctx.each(blocks(vm.config, "disk").slice(1), (disk) => {
        const serial = str(disk, "serial");
        if (isEncryptedDataDiskSerial(serial)) return [];
        return [
          {
            subject: vm.construct,
            message: `prod ${vmLabel(vm)}: data disk ${JSON.stringify(raw(disk, "interface") ?? null)} is not marked for encryption (serial ${JSON.stringify(serial ?? null)}), so its data is readable to whoever gets the volume or a backup of it.`,
          },
        ];
      });
    });
  },
};
