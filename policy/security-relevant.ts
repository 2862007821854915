/**
 * Attributes whose value decides whether a guest or the cluster is exposed, who can log in, or
 * whether a safeguard is on. When the policy cannot evaluate one of them, the "could not evaluate"
 * finding is an error (it fails `cdktf synth`) whatever the severity of the rule that asked; for
 * any other attribute it has the rule's own severity. Paths are written without list indexes
 * (`rule.source` stands for `rule[3].source`). docs/RULES.md lists this table (generated).
 */
export const SECURITY_RELEVANT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  proxmox_virtual_environment_vm: [
    "template",
    "protection",
    "tags",
    "agent",
    "agent.enabled",
    "network_device",
    "network_device.enabled",
    "network_device.firewall",
    "initialization",
    "initialization.user_account",
    "initialization.user_account.username",
    "initialization.user_account.password",
    "initialization.user_account.keys",
    "operating_system",
    "operating_system.type",
    "bios",
    "efi_disk",
    "efi_disk.pre_enrolled_keys",
    "tpm_state",
    "tpm_state.version",
  ],
  proxmox_virtual_environment_container: ["initialization", "initialization.user_account", "initialization.user_account.password"],
  proxmox_virtual_environment_firewall_options: ["enabled", "input_policy", "macfilter"],
  proxmox_virtual_environment_cluster_firewall: ["enabled", "input_policy"],
  proxmox_virtual_environment_firewall_rules: firewallRuleAttributes(),
  proxmox_virtual_environment_cluster_firewall_security_group: firewallRuleAttributes(),
  proxmox_virtual_environment_firewall_ipset: ["name", "cidr", "cidr.name", "cidr.nomatch"],
  proxmox_virtual_environment_firewall_alias: ["name", "cidr"],
  proxmox_virtual_environment_role: ["privileges"],
  proxmox_virtual_environment_acl: ["role_id"],
  proxmox_acl: ["role_id"],
  proxmox_virtual_environment_user: ["password", "acl", "acl.role_id"],
  proxmox_virtual_environment_user_token: ["privileges_separation", "expiration_date"],
  proxmox_user_token: ["privileges_separation", "expiration_date"],
  proxmox_virtual_environment_download_file: ["checksum", "verify"],
  proxmox_download_file: ["checksum", "verify"],
  variable: ["sensitive"],
  output: ["sensitive", "value"],
};

function firewallRuleAttributes(): string[] {
  return ["rule", ...["type", "action", "enabled", "source", "proto", "dport", "macro", "security_group"].map((a) => `rule.${a}`)];
}

/** Whether `attribute` (a path such as `rule[2].source`) of a `type` element is security-relevant. */
export function isSecurityRelevant(type: string | undefined, attribute: string): boolean {
  const path = attribute.replace(/\[\d+\]/g, "");
  return type !== undefined && (SECURITY_RELEVANT_ATTRIBUTES[type] ?? []).includes(path);
}
