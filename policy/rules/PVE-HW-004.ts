import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { blocks, raw, str } from "../values";
import { vmLabel } from "../vm-queries";

/** Storage ids that are thin-provisioned by convention (local-lvm is LVM-thin, ZFS and Ceph are thin). */
export const THIN_STORAGE = /(lvm|zfs|thin|ceph|rbd)/i;

/** PVE-HW-004: thin-provisioned disks give freed blocks back. */
export const rule: PolicyRule = {
  id: "PVE-HW-004",
  severity: "warning",
  description:
    "Disks on thin-provisioned storage (lvm, zfs, thin, ceph/rbd ids) have discard on, so deleted data is released and the pool does not silently fill.",
  remediation: 'Set discard = "on" on the disk (HardenedVm and VmTemplate do) and keep fstrim enabled in the guest.',
  mappings: [],
  check(ctx) {
    return ctx.each(ctx.ofType(T.vm), (vm) =>
      ctx.each(blocks(vm.config, "disk"), (disk) => {
        const datastore = str(disk, "datastore_id") ?? "local-lvm";
        if (!THIN_STORAGE.test(datastore) || str(disk, "discard") === "on") return [];
        return [
          {
            subject: vm.construct,
            message: `${vmLabel(vm)}: disk ${JSON.stringify(raw(disk, "interface") ?? "scsi0")} on thin storage "${datastore}" has discard = ${JSON.stringify(raw(disk, "discard") ?? "ignore")}.`,
          },
        ];
      }),
    );
  },
};
