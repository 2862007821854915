import type { VirtualEnvironmentVmTpmState } from "../.gen/providers/proxmox/virtual-environment-vm";

/**
 * A virtual TPM 2.0 (`tpmstate0`, swtpm) whose state volume lives on `datastoreId`. Changing the
 * version later replaces the VM (bpg/proxmox `forceNewOnTPMVersionChange`); adding one to a running
 * VM powers it off and on (`vmPowerOffForPendingChanges`). The state is a volume of the VM, so it
 * travels with the VM's backups — docs/data-protection.md says what that means for disks bound to it.
 */
export function vtpmState(datastoreId: string): VirtualEnvironmentVmTpmState {
  return { datastoreId, version: "v2.0" };
}
