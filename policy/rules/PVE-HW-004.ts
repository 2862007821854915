import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { blocks, isUnknown, str } from "../values";
import { vmLabel } from "../vm-queries";

/** Storage ids that are thin-provisioned by convention (local-lvm is LVM-thin, ZFS and Ceph are thin). */
export const THIN_STORAGE = /(lvm|zfs|thin|ceph|rbd)/i;

/** PVE-HW-004: thin-provisioned disks give freed blocks back. */
export const rule: PolicyRule = {
  id: "PVE-HW-004",
  severity: "warning",
  description: "Disks on thin-provisioned storage (lvm, zfs, thin, ceph/rbd ids) have discard on, so deleted data is released and the pool does not silently fill.",
  remediation: "Set discard = \"on\" on the disk (HardenedVm and VmTemplate do) and keep fstrim enabled in the guest.",
  mappings: [],
  check(ctx) {
    return ctx.ofType(T.vm).flatMap((vm) =>
      blocks(vm.config, "disk")
        .filter((disk) => !isUnknown(disk.datastore_id) && !isUnknown(disk.discard))
        .filter((disk) => THIN_STORAGE.test(str(disk.datastore_id) ?? "local-lvm") && str(disk.discard) !== "on")
        .map((disk) => ({
          subject: vm.construct,
          message: `${vmLabel(vm)}: disk ${JSON.stringify(disk.interface ?? "scsi0")} on thin storage "${str(disk.datastore_id) ?? "local-lvm"}" has discard = ${JSON.stringify(disk.discard ?? "ignore")}.`,
        })),
    );
  },
};
