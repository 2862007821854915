import type { SimContext } from "../context";
import { hasPrivs, requirePrivs } from "../permission-check";
import { permissionDenied, PveError } from "../pve-error";
import type { ApiRequest } from "../route";
import { tryParseVolumeId } from "../storage/volumes";
import { optionFormat, parseProps } from "./config-schema";
import { Drive, isCdrom, isDriveKey, newDiskRequest, parseDrive } from "./drive";

/**
 * The privilege checks qemu-server makes in code (beyond the schema's `permissions`), with PVE's
 * messages: per-option VM.Config.* privileges, storage access for disks, SDN.Use for bridges.
 */

type Req = Pick<ApiRequest, "auth">;
type Sim = Pick<SimContext, "state">;

function isRoot(req: Req): boolean {
  return req.auth.userid === "root@pam" && !req.auth.tokenid;
}

/** PVE's `check_vm_perm`: privileges on `/vms/<vmid>`, or on `/pool/<pool>` when a pool is given. */
export function checkVmPerm(req: Req, sim: Sim, vmid: number, pool: string | undefined, privs: readonly string[], any = false): void {
  if (pool && hasPrivs(req, sim, `/pool/${pool}`, privs, any)) return;
  requirePrivs(req, sim, `/vms/${vmid}`, privs, any);
}

const OPTION_PRIVS: ReadonlyArray<[RegExp, readonly string[], boolean?]> = [
  [/^(cores|cpu|runningcpu|cpulimit|cpuunits|numa|smp|sockets|vcpus|numa\d+|affinity)$/, ["VM.Config.CPU"]],
  [/^(memory|balloon|shares|allow-ksm)$/, ["VM.Config.Memory"]],
  [/^(acpi|hotplug|kvm|machine|runningmachine|scsihw|smbios1|tablet|vga|watchdog|audio0|rng0)$/, ["VM.Config.HWType"]],
  [
    /^(agent|autostart|bios|description|keyboard|localtime|migrate_downtime|migrate_speed|name|onboot|ostype|protection|reboot|startdate|startup|tdf|template)$/,
    ["VM.Config.Options"],
  ],
  [/^freeze$/, ["VM.PowerMgmt"]],
  [/^(boot|bootdisk|vmstatestorage)$/, ["VM.Config.Disk"]],
  [/^(net\d+|running-nets-host-mtu)$/, ["VM.Config.Network"]],
  [/^(cicustom|cipassword|citype|ciuser|ciupgrade|nameserver|searchdomain|sshkeys|ipconfig\d+)$/, ["VM.Config.Cloudinit", "VM.Config.Network"], true],
  [/^vmstate$/, ["VM.Config.Disk", "VM.PowerMgmt"]],
];

/**
 * PVE's `check_vm_modify_config_perm` for option names (set or deleted), plus the tag check
 * (`VM.Config.Options`). Drives and serial/usb/pci devices are checked by value elsewhere;
 * anything unlisted (`args`, `lock`, …) is root-only: `only root can set 'args' config`.
 */
export function checkModifyConfigPerm(req: Req, sim: Sim, vmid: number, pool: string | undefined, keys: Iterable<string>): void {
  if (isRoot(req)) return;
  for (const key of keys) {
    // PVE's assert_tag_permissions (default tag style: any tag for VM.Config.Options holders)
    if (key === "tags") checkVmPerm(req, sim, vmid, pool, ["VM.Config.Options"]);
    if (isDriveKey(key) || key === "cdrom" || /^(unused|serial|usb|hostpci|virtiofs)\d+$/.test(key) || key === "tags") continue;
    const rule = OPTION_PRIVS.find(([re]) => re.test(key));
    if (!rule) throw new PveError(500, `only root can set '${key}' config`);
    checkVmPerm(req, sim, vmid, pool, rule[1], rule[2]);
    if (key === "startup") requirePrivs(req, sim, "/", ["Sys.Modify"]);
  }
}

/** Serial ports: `socket` needs VM.Config.HWType, real devices are root-only. */
export function checkSerialPerm(req: Req, sim: Sim, vmid: number, pool: string | undefined, key: string, value: string): void {
  if (isRoot(req)) return;
  if (value === "socket") checkVmPerm(req, sim, vmid, pool, ["VM.Config.HWType"]);
  else throw new PveError(500, `only root can set '${key}' config for real devices`);
}

/** Drive privileges by kind: cloud-init, CD-ROM or disk (PVE's `$check_drive_perms`). */
export function checkDrivePerm(req: Req, sim: Sim, vmid: number, drive: Drive): void {
  if (isCdrom(drive) && /cloudinit/.test(drive.file)) checkVmPerm(req, sim, vmid, undefined, ["VM.Config.Cloudinit", "VM.Config.CDROM"]);
  else if (isCdrom(drive, true)) checkVmPerm(req, sim, vmid, undefined, ["VM.Config.CDROM"]);
  else checkVmPerm(req, sim, vmid, undefined, ["VM.Config.Disk"]);
}

/** PVE's `check_volume_access` for an existing volume used by VM `vmid`. */
export function checkVolumeAccess(req: Req, sim: Sim, vmid: number, volid: string): void {
  if (isRoot(req)) return;
  const id = tryParseVolumeId(volid);
  if (!id) throw new PveError(500, "Only root can pass arbitrary filesystem paths.");
  const vtype = /^(iso|vztmpl|import)\//.exec(id.volname)?.[1];
  if (vtype) {
    requirePrivs(req, sim, `/storage/${id.storeid}`, ["Datastore.AllocateSpace", "Datastore.Audit"], true);
    return;
  }
  const owner = /(?:^|\/)(?:vm|base)-(\d+)-/.exec(id.volname.split("/").slice(-1)[0]);
  if (owner && Number(owner[1]) === vmid) return;
  requirePrivs(req, sim, `/storage/${id.storeid}`, ["Datastore.Allocate"]);
}

/**
 * PVE's `check_storage_access` for drive options being set: new disks need
 * Datastore.AllocateSpace on their storage, existing volumes need volume access, `import-from`
 * sources need read access.
 */
export function checkStorageAccess(req: Req, sim: Sim, vmid: number, params: Readonly<Record<string, string>>, defaultStorage?: string): void {
  for (const [key, value] of Object.entries(params)) {
    if (!isDriveKey(key)) continue;
    let drive: Drive;
    try {
      drive = parseDrive(key, value);
    } catch {
      continue;
    }
    const id = tryParseVolumeId(drive.file);
    const req2 = newDiskRequest(drive.file);
    if (drive.file === "none" || drive.file === "cloudinit" || id?.volname === "cloudinit") {
      // nothing to check
    } else if (isCdrom(drive) && drive.file === "cdrom") {
      if (!isRoot(req)) requirePrivs(req, sim, "/", ["Sys.Console"]);
    } else if (!isCdrom(drive) && req2) {
      const storeid = req2.storeid ?? defaultStorage;
      if (!storeid) throw new PveError(500, "no storage ID specified (and no default storage)");
      if (!isRoot(req)) requirePrivs(req, sim, `/storage/${storeid}`, ["Datastore.AllocateSpace"]);
    } else {
      checkVolumeAccess(req, sim, vmid, drive.file);
    }
    if (drive["import-from"]) checkVolumeAccess(req, sim, vmid, drive["import-from"]);
  }
}

/** PVE's `check_bridge_access`: SDN.Use on `/sdn/zones/localnetwork/<bridge>[/<tag>]` for every NIC. */
export function checkBridgeAccess(req: Req, sim: Sim, params: Readonly<Record<string, string>>): void {
  if (isRoot(req)) return;
  for (const key of Object.keys(params).sort()) {
    if (!/^net\d+$/.test(key)) continue;
    const net = parseProps(optionFormat(key), params[key]);
    if (net.bridge) checkVnetAccess(req, sim, net.bridge, net.tag);
  }
}

/** PVE's `check_vnet_access`: SDN.Use on `/sdn/zones/localnetwork/<bridge>[/<tag>]` (qemu and lxc NICs). */
export function checkVnetAccess(req: Req, sim: Sim, bridge: string, tag: string | undefined): void {
  if (isRoot(req)) return;
  const path = `/sdn/zones/localnetwork/${bridge}${tag ? `/${tag}` : ""}`;
  if (!hasPrivs(req, sim, path, ["SDN.Use"], true)) throw permissionDenied(path, ["SDN.Use"]);
}
