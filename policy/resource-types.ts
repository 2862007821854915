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
  pbsStorage: ["proxmox_virtual_environment_storage_pbs", "proxmox_storage_pbs"],
  /** Storage types that cannot encrypt on the client: PVE encrypts only towards a PBS server. */
  plainStorage: [
    "proxmox_virtual_environment_storage_directory",
    "proxmox_storage_directory",
    "proxmox_virtual_environment_storage_nfs",
    "proxmox_storage_nfs",
    "proxmox_virtual_environment_storage_cifs",
    "proxmox_storage_cifs",
    "proxmox_virtual_environment_storage_lvm",
    "proxmox_storage_lvm",
    "proxmox_virtual_environment_storage_lvmthin",
    "proxmox_storage_lvmthin",
    "proxmox_virtual_environment_storage_zfspool",
    "proxmox_storage_zfspool",
  ],
  haResource: ["proxmox_virtual_environment_haresource", "proxmox_haresource"],
  role: ["proxmox_virtual_environment_role"],
  acl: ["proxmox_virtual_environment_acl", "proxmox_acl"],
  userToken: ["proxmox_virtual_environment_user_token", "proxmox_user_token"],
  user: ["proxmox_virtual_environment_user"],
  download: ["proxmox_virtual_environment_download_file", "proxmox_download_file"],
} as const satisfies Record<string, readonly string[]>;
