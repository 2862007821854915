import { PolicyRule, CIS } from "../rule";
import { backupCovers } from "../backup-queries";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-OPS-002: every prod VM is in a backup job. */
export const rule: PolicyRule = {
  id: "PVE-OPS-002",
  severity: "error",
  description: "Every prod VM is selected by an enabled backup job (by VM id, by pool, or all).",
  remediation: "Add a BackupJob that lists the VM's id (vm.vmId) or its pool, or put the VM in a pool a job backs up.",
  mappings: [CIS.automatedBackups],
  check(ctx) {
    return ctx.each(runningVms(ctx), (vm) =>
      ctx.stageOf(vm) === "prod" && !backupCovers(ctx, vm)
        ? [{ subject: vm.construct, message: `prod ${vmLabel(vm)} is in no enabled backup job (neither by id nor by pool).` }]
        : [],
    );
  },
};
