import { MappedResource } from "./map-firewall";
import { LiveSnapshot, PveObject } from "./live-snapshot";
import { defined, pveBool, pveText } from "./pve-properties";

/** PVE storage types bpg/proxmox 0.111.1 has a resource for (fwprovider/storage), by PVE type. */
const PROVIDER_TYPES: Readonly<Record<string, string>> = {
  pbs: "proxmox_virtual_environment_storage_pbs",
  dir: "proxmox_virtual_environment_storage_directory",
  nfs: "proxmox_virtual_environment_storage_nfs",
  cifs: "proxmox_virtual_environment_storage_cifs",
  lvm: "proxmox_virtual_environment_storage_lvm",
  lvmthin: "proxmox_virtual_environment_storage_lvmthin",
  zfspool: "proxmox_virtual_environment_storage_zfspool",
};

/**
 * Storage definitions (`GET /storage`, the storage.cfg entries the token may audit) as the
 * provider's storage resources. A PBS entry's `encryption-key` is the key's fingerprint (or `1`
 * when the key has none) — pve-storage `PBSPlugin::on_add_hook`/`on_update_hook` keep the key in
 * /etc/pve/priv and only that marker in storage.cfg — so it becomes `encryption_key_fingerprint`;
 * neither the key nor the password is ever answered. Types the provider has no resource for
 * (cephfs, btrfs, rbd, …) are left out: a backup job onto one cannot be judged (PVE-OPS-009 says so).
 */
export function storageResources(snapshot: LiveSnapshot): MappedResource[] {
  return snapshot.storages.flatMap((s): MappedResource[] => {
    const id = pveText(s.storage);
    const type = PROVIDER_TYPES[pveText(s.type) ?? ""];
    if (id === undefined || type === undefined) return [];
    const common = {
      id,
      nodes: list(s.nodes),
      content: list(s.content),
      disable: pveBool(s.disable),
      shared: pveBool(s.shared),
    };
    return [{ id: `storage-${id}`, type, attributes: defined({ ...common, ...(s.type === "pbs" ? pbsAttributes(s) : { path: pveText(s.path) }) }) }];
  });
}

function pbsAttributes(s: PveObject): Record<string, unknown> {
  return {
    server: pveText(s.server),
    datastore: pveText(s.datastore),
    username: pveText(s.username),
    namespace: pveText(s.namespace),
    fingerprint: pveText(s.fingerprint),
    encryption_key_fingerprint: pveText(s["encryption-key"]),
  };
}

/** A PVE list (`backup,iso`) as the provider's set; undefined when absent. */
function list(v: unknown): string[] | undefined {
  const text = pveText(v);
  return text === undefined
    ? undefined
    : text
        .split(/[;,\s]+/)
        .filter((e) => e !== "")
        .sort();
}
