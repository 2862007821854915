import { TerraformResource } from "cdktf";

/**
 * PVE privileges bpg/proxmox needs to manage each resource type, derived from the API schema's
 * permission checks for the calls the provider makes (create, read, update, delete). Checked by
 * the end-to-end test that applies an environment with exactly these privileges through the
 * simulator's permission checks and fails with any one removed.
 */
export const RESOURCE_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  proxmox_virtual_environment_vm: [
    "VM.Allocate",
    "VM.Audit",
    "VM.Config.CPU",
    "VM.Config.Memory",
    "VM.Config.Disk",
    "VM.Config.Network",
    "VM.Config.Options",
    "VM.Config.HWType",
    "VM.Config.Cloudinit",
    "VM.PowerMgmt",
    "Datastore.AllocateSpace",
    "Datastore.Audit",
    "SDN.Use",
  ],
  proxmox_download_file: [
    "Datastore.AllocateTemplate",
    "Datastore.Audit",
    "Datastore.Allocate",
    "Sys.AccessNetwork",
  ],
  proxmox_virtual_environment_firewall_options: ["VM.Audit", "VM.Config.Network"],
  proxmox_virtual_environment_firewall_rules: ["VM.Audit", "VM.Config.Network"],
  proxmox_virtual_environment_cluster_firewall: ["Sys.Audit", "Sys.Modify"],
  proxmox_virtual_environment_cluster_firewall_security_group: ["Sys.Audit", "Sys.Modify"],
  proxmox_virtual_environment_firewall_alias: ["Sys.Audit", "Sys.Modify"],
  proxmox_virtual_environment_firewall_ipset: ["Sys.Audit", "Sys.Modify"],
  proxmox_sdn_zone_vlan: ["SDN.Allocate", "SDN.Audit"],
  proxmox_sdn_vnet: ["SDN.Allocate", "SDN.Audit"],
  proxmox_sdn_subnet: ["SDN.Allocate", "SDN.Audit"],
  proxmox_sdn_applier: ["SDN.Allocate"],
  proxmox_backup_job: ["Sys.Audit", "Sys.Modify"],
  proxmox_haresource: ["Sys.Audit", "Sys.Console"],
  proxmox_virtual_environment_pool: ["Pool.Allocate", "Pool.Audit"],
};

/** Extra privileges that depend on how a VM is configured. */
function vmExtras(config: Record<string, unknown>): string[] {
  const extra: string[] = [];
  if (config.clone) extra.push("VM.Clone");
  const agent = config.agent as { enabled?: unknown } | undefined;
  if (agent && agent.enabled !== false) extra.push("VM.GuestAgent.Audit");
  if (config.cdrom) extra.push("VM.Config.CDROM");
  return extra;
}

/**
 * The privileges Terraform needs for one resource, or undefined when the resource type is not in
 * the table (the caller then reports it: a least-privilege role cannot be derived for it).
 */
export function privilegesFor(resource: TerraformResource): string[] | undefined {
  const base = RESOURCE_PRIVILEGES[resource.terraformResourceType];
  if (!base) return undefined;
  if (resource.terraformResourceType !== "proxmox_virtual_environment_vm") return [...base];
  const synthesized = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const config = Object.values(synthesized.resource[resource.terraformResourceType] ?? {})[0] ?? {};
  return [...base, ...vmExtras(config)];
}
