import { TerraformResource } from "cdktf";

/** What a VM and a container both need: create, read, configure, start and stop, their storage and network. */
const GUEST_PRIVILEGES = [
  "VM.Allocate",
  "VM.Audit",
  "VM.Config.CPU",
  "VM.Config.Memory",
  "VM.Config.Disk",
  "VM.Config.Network",
  "VM.Config.Options",
  "VM.PowerMgmt",
  "Datastore.AllocateSpace",
  "Datastore.Audit",
  "SDN.Use",
] as const;

/**
 * PVE privileges bpg/proxmox needs to manage each resource type, derived from the API schema's
 * permission checks for the calls the provider makes (create, read, update, delete). Checked by
 * __tests__/e2e/constructs/least-privilege-e2e.test.ts, which applies, re-plans and destroys an
 * environment with exactly the derived privileges and is refused with any one of them removed.
 */
export const RESOURCE_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  proxmox_virtual_environment_vm: [...GUEST_PRIVILEGES, "VM.Config.HWType", "VM.Config.Cloudinit"],
  // pve-container API2/LXC.pm (create: VM.Allocate, storage: Datastore.AllocateSpace) and
  // LXC.pm check_ct_modify_config_perm (cores/cpuunits: CPU, memory/swap: Memory, rootfs: Disk,
  // net: Network, the rest: Options); start/stop: VM.PowerMgmt.
  proxmox_virtual_environment_container: GUEST_PRIVILEGES,
  proxmox_download_file: ["Datastore.AllocateTemplate", "Datastore.Audit", "Datastore.Allocate", "Sys.AccessNetwork"],
  proxmox_virtual_environment_firewall_options: ["VM.Audit", "VM.Config.Network"],
  proxmox_virtual_environment_firewall_rules: ["VM.Audit", "VM.Config.Network"],
  proxmox_virtual_environment_cluster_firewall: ["Sys.Audit", "Sys.Modify"],
  proxmox_virtual_environment_cluster_firewall_security_group: ["Sys.Audit", "Sys.Modify"],
  proxmox_virtual_environment_firewall_alias: ["Sys.Audit", "Sys.Modify"],
  proxmox_virtual_environment_firewall_ipset: ["Sys.Audit", "Sys.Modify"],
  // Every SDN read the provider makes accepts SDN.Allocate in place of SDN.Audit (zone reads require it).
  proxmox_sdn_zone_vlan: ["SDN.Allocate"],
  proxmox_sdn_vnet: ["SDN.Allocate"],
  proxmox_sdn_subnet: ["SDN.Allocate"],
  proxmox_sdn_applier: ["SDN.Allocate"],
  proxmox_backup_job: ["Sys.Audit", "Sys.Modify"],
  // POST /storage and GET/PUT/DELETE /storage/{storage}: Datastore.Allocate (pve-storage API2/Storage/Config.pm).
  proxmox_storage_pbs: ["Datastore.Allocate"],
  proxmox_virtual_environment_storage_pbs: ["Datastore.Allocate"],
  proxmox_haresource: ["Sys.Audit", "Sys.Console"],
  // The provider reads a pool with `GET /pools?poolid=`, whose Pool.Audit check PVE makes with
  // noerr (pve-manager PVE/API2/Pool.pm), so Pool.Allocate (create, update, delete) is all it needs
  // here; VMs that join a pool need Pool.Audit (see vmExtras).
  proxmox_virtual_environment_pool: ["Pool.Allocate"],
};

/**
 * Privileges needed only by permission checks that also accept other privileges (PVE `any` and
 * `or` checks), with those alternatives: a derived role that already holds every privilege of one
 * alternative does not get them.
 */
export const SATISFIED_BY: Readonly<Record<string, readonly (readonly string[])[]>> = {
  // Storage content, status and list reads: ["perm", "/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], "any", 1].
  "Datastore.Audit": [["Datastore.AllocateSpace"]],
  // download-url and query-url-metadata: Sys.AccessNetwork on the node, or Sys.Audit + Sys.Modify on /.
  "Sys.AccessNetwork": [["Sys.Audit", "Sys.Modify"]],
};

/** Drops from `privileges` those whose every use is already allowed by an alternative in the set; sorted. */
export function minimalPrivileges(privileges: Iterable<string>): string[] {
  const all = new Set(privileges);
  const kept = [...all].filter((p) => !(SATISFIED_BY[p] ?? []).some((alternative) => alternative.every((a) => all.has(a))));
  return kept.sort();
}

/** Extra privileges that depend on how a VM is configured. */
function vmExtras(config: Record<string, unknown>): string[] {
  const extra: string[] = [];
  if (config.clone) extra.push("VM.Clone");
  const agent = config.agent as { enabled?: unknown } | undefined;
  if (agent && agent.enabled !== false) extra.push("VM.GuestAgent.Audit");
  // qemu-server checks a cloud-init drive with VM.Config.Cloudinit AND VM.Config.CDROM (it is a CD-ROM
  // drive), and the provider writes one for every VM with an `initialization` block.
  if (config.cdrom || config.initialization) extra.push("VM.Config.CDROM");
  // The provider finds a VM's pool by listing pools, and GET /pools lists only those the caller
  // may audit: without Pool.Audit the VM's pool_id reads empty and every plan re-adds it.
  if (config.pool_id) extra.push("Pool.Audit");
  return extra;
}

/**
 * The privileges Terraform needs for one resource, or undefined when the resource type is not in
 * the table (the caller then reports it: a least-privilege role cannot be derived for it).
 */
export function privilegesFor(resource: TerraformResource): string[] | undefined {
  if (resource.terraformResourceType !== "proxmox_virtual_environment_vm") return privilegesForConfig(resource.terraformResourceType, {});
  const synthesized = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  return privilegesForConfig(resource.terraformResourceType, Object.values(synthesized.resource[resource.terraformResourceType] ?? {})[0] ?? {});
}

/**
 * The privileges Terraform needs for a resource of `type` with this synthesised configuration
 * (`cdk.tf.json`'s attributes), or undefined when the type is not in the table.
 */
export function privilegesForConfig(type: string, config: Record<string, unknown>): string[] | undefined {
  const base = RESOURCE_PRIVILEGES[type];
  if (!base) return undefined;
  return type === "proxmox_virtual_environment_vm" ? [...base, ...vmExtras(config)] : [...base];
}
