/**
 * bpg/proxmox 0.111.1 resource types the rules read. The provider registers several resources
 * under two names (`proxmox_virtual_environment_acl` and `proxmox_acl`); both are checked. The
 * experimental framework VM resources (`proxmox_vm`, `proxmox_cloned_vm`, …) have another schema
 * and are not read by the VM rules.
 */
export const T = {
  vm: ["proxmox_virtual_environment_vm"],
  container: ["proxmox_virtual_environment_container"],
  firewallOptions: ["proxmox_virtual_environment_firewall_options"],
  firewallRules: ["proxmox_virtual_environment_firewall_rules"],
  securityGroup: ["proxmox_virtual_environment_cluster_firewall_security_group"],
  clusterFirewall: ["proxmox_virtual_environment_cluster_firewall"],
  ipset: ["proxmox_virtual_environment_firewall_ipset"],
  alias: ["proxmox_virtual_environment_firewall_alias"],
  backupJob: ["proxmox_backup_job"],
  haResource: ["proxmox_virtual_environment_haresource", "proxmox_haresource"],
  role: ["proxmox_virtual_environment_role"],
  acl: ["proxmox_virtual_environment_acl", "proxmox_acl"],
  userToken: ["proxmox_virtual_environment_user_token", "proxmox_user_token"],
  user: ["proxmox_virtual_environment_user"],
  download: ["proxmox_virtual_environment_download_file", "proxmox_download_file"],
} as const satisfies Record<string, readonly string[]>;
