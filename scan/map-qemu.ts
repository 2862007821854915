import { isCloudinit } from "../sim/qemu/drive";
import { LiveGuest } from "./live-snapshot";
import { defined, netKeys, parseProperties, pveBool, pveInt, pveTags, pveText, storageOf } from "./pve-properties";

/**
 * A VM's configuration (`GET /nodes/{node}/qemu/{vmid}/config`) as the attributes of a
 * `proxmox_virtual_environment_vm` that bpg/proxmox 0.111.1 would hold after reading it
 * (proxmoxtf/resource/vm/vm.go, `vmReadCustom`), so the VM rules judge it unchanged. Where the
 * provider keeps its own default for a key PVE does not return, the attribute stays absent and
 * the rules apply their "unset" reading, which names PVE's default; where PVE's default differs
 * from the provider's schema default, PVE's is written (noted per attribute).
 */
export function qemuToVm(guest: LiveGuest): Record<string, unknown> {
  const c = guest.config;
  const agent = c.agent === undefined ? undefined : parseProperties(c.agent, "enabled");
  const cpu = parseProperties(c.cpu, "cputype");
  const efi = c.efidisk0 === undefined ? undefined : parseProperties(c.efidisk0, "file");
  const tpm = c.tpmstate0 === undefined ? undefined : parseProperties(c.tpmstate0, "file");
  return defined({
    node_name: guest.node,
    vm_id: guest.vmid,
    name: pveText(c.name),
    description: pveText(c.description),
    tags: pveTags(c.tags),
    // vm.go sets template, on_boot and protection from PVE's flags; absent means 0 in PVE.
    template: pveBool(c.template) ?? false,
    on_boot: pveBool(c.onboot) ?? false,
    protection: pveBool(c.protection) ?? false,
    bios: pveText(c.bios),
    pool_id: guest.pool,
    agent: agent ? defined({ enabled: pveBool(agent.enabled) ?? false, trim: pveBool(agent.fstrim_cloned_disks), type: agent.type }) : undefined,
    cpu: c.cpu === undefined ? undefined : defined({ type: cpu.cputype, cores: pveInt(c.cores), sockets: pveInt(c.sockets) }),
    operating_system: c.ostype === undefined ? undefined : { type: pveText(c.ostype) },
    disk: disks(c),
    efi_disk: efi
      ? defined({ datastore_id: storageOf(efi.file), type: efi.efitype, pre_enrolled_keys: pveBool(efi["pre-enrolled-keys"]) ?? false })
      : undefined,
    // qemu-server's tpmstate format: `version` defaults to v1.2 (src/PVE/QemuServer/Drive.pm), not the provider's v2.0.
    tpm_state: tpm ? { datastore_id: storageOf(tpm.file), version: tpm.version ?? "v1.2" } : undefined,
    network_device: nics(c),
    initialization: initialization(c),
  });
}

const DISK_KEY = /^(ide|sata|scsi|virtio)(\d+)$/;
const NIC_MODELS = new Set([
  "e1000",
  "e1000-82540em",
  "e1000-82544gc",
  "e1000-82545em",
  "e1000e",
  "i82551",
  "i82557b",
  "i82559er",
  "ne2k_isa",
  "ne2k_pci",
  "pcnet",
  "rtl8139",
  "virtio",
  "vmxnet3",
]);

/** Data disks in key order; CD-ROMs, the cloud-init drive and `none` are not disks to the provider. */
function disks(c: Readonly<Record<string, unknown>>): Record<string, unknown>[] | undefined {
  const found = Object.keys(c)
    .filter((k) => DISK_KEY.test(k))
    .sort(byBusAndIndex)
    .map((key) => ({ key, d: parseProperties(c[key], "file") }))
    .filter(({ d }) => d.media !== "cdrom" && d.file !== undefined && d.file !== "none" && !isCloudInit(d.file));
  if (found.length === 0) return undefined;
  return found.map(({ key, d }) =>
    defined({
      interface: key,
      datastore_id: storageOf(d.file),
      discard: d.discard,
      size: sizeGiB(d.size),
      iothread: pveBool(d.iothread),
      ssd: pveBool(d.ssd),
      serial: d.serial,
    }),
  );
}

/** NICs in index order (`net0`, `net1`, …), as vm.go lists `network_device`. */
function nics(c: Readonly<Record<string, unknown>>): Record<string, unknown>[] | undefined {
  const keys = netKeys(c);
  if (keys.length === 0) return undefined;
  return keys.map((key) => {
    const n = parseProperties(c[key], "model");
    const model = Object.keys(n).find((k) => NIC_MODELS.has(k)) ?? n.model;
    return defined({
      enabled: true,
      model,
      mac_address: model && NIC_MODELS.has(model) && n[model] ? n[model] : n.macaddr,
      bridge: n.bridge,
      // PVE's firewall flag of a NIC defaults to off (qemu-server's net format).
      firewall: pveBool(n.firewall) ?? false,
      vlan_id: pveInt(n.tag),
      disconnected: pveBool(n.link_down),
    });
  });
}

/**
 * The `initialization` block as vm.go builds it: present with a cloud-init drive or any ci* key;
 * `user_account` when ciuser, cipassword or sshkeys is set (PVE returns the password masked as
 * `**********`, which the provider stores as it is); `user_data_file_id` from `cicustom user=`.
 */
function initialization(c: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const drive = Object.keys(c)
    .filter((k) => DISK_KEY.test(k))
    .find((k) => isCloudInit(parseProperties(c[k], "file").file ?? ""));
  const hasUser = c.ciuser !== undefined || c.cipassword !== undefined || c.sshkeys !== undefined;
  const custom = c.cicustom === undefined ? undefined : parseProperties(c.cicustom);
  if (!drive && !hasUser && !custom) return undefined;
  return defined({
    interface: drive,
    datastore_id: drive ? storageOf(parseProperties(c[drive], "file").file) : undefined,
    user_account: hasUser ? { username: pveText(c.ciuser) ?? "", password: pveText(c.cipassword) ?? "", keys: sshKeys(c.sshkeys) } : undefined,
    user_data_file_id: custom?.user,
  });
}

/** PVE stores `sshkeys` URL-encoded, one key per line. */
function sshKeys(v: unknown): string[] {
  if (typeof v !== "string") return [];
  let text = v;
  try {
    text = decodeURIComponent(v);
  } catch {
    // not URL-encoded: the keys as written
  }
  return text
    .split(/\r?\n/)
    .map((k) => k.trim())
    .filter((k) => k !== "");
}

/** qemu-server's `drive_is_cloudinit` (transcribed once, in the simulator). */
function isCloudInit(file: string): boolean {
  return isCloudinit({ file });
}

/** `32G`, `512M`, `1T` → GiB, as the provider's disk `size`; undefined when absent. */
function sizeGiB(size: string | undefined): number | undefined {
  const m = size ? /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(size) : null;
  if (!m) return undefined;
  const factor: Record<string, number> = { "": 1 / 1024 ** 3, K: 1 / 1024 ** 2, M: 1 / 1024, G: 1, T: 1024 };
  return Math.ceil(Number(m[1]) * factor[m[2]]);
}

function byBusAndIndex(a: string, b: string): number {
  const [, busA, iA] = DISK_KEY.exec(a)!;
  const [, busB, iB] = DISK_KEY.exec(b)!;
  return busA.localeCompare(busB) || Number(iA) - Number(iB);
}
