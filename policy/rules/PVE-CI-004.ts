import { PolicyRule, CIS } from "../rule";
import { block, isSet } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

/** PVE-CI-004: custom cloud-init user data needs SSH to the node; the API-only default does not. */
export const rule: PolicyRule = {
  id: "PVE-CI-004",
  severity: "warning",
  description: "No VM takes custom cloud-init user data from a snippet, which the provider can only upload over SSH as root to the node.",
  remediation:
    "Keep the API-only default (drop HardenedVm userData / the tier's userData) and configure guests after boot; or accept the trade-off with a suppression whose reason names who holds the node's SSH credentials.",
  mappings: [CIS.adminPrivileges],
  terraformOnly:
    "it is about the provider uploading a user-data snippet over SSH as root; a live VM's cicustom names the snippet but not how it got onto the node.",
  check(ctx) {
    return runningVms(ctx)
      .filter((vm) => isSet(block(vm.config, "initialization")?.user_data_file_id))
      .map((vm) => ({
        subject: vm.construct,
        message: `${vmLabel(vm)}: its cloud-init user data is a snippet, so deploying it needs SSH access as root to the node (PROXMOX_VE_SSH_*).`,
      }));
  },
};
