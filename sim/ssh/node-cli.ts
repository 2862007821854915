import { ApiSchema } from "../api-schema";
import type { SimContext } from "../context";
import { validateParams } from "../param-validation";
import { parameterError, PveError } from "../pve-error";
import { applyConfigChange, checkConfigChange, ConfigChange } from "../qemu/config-update";
import { isDriveKey, parseDrive } from "../qemu/drive";
import { flocks, LOCK_TIMEOUT_MS, vmLockPath } from "../qemu/flock";
import { addUnusedVolume } from "../qemu/vm-conf";
import { checkLock, loadVm } from "../qemu/vm-store";
import type { ApiRequest } from "../route";
import { defaultFormat, requireStorage, validFormats, volumePath } from "../storage/storage-config";
import { allocImage, parseVolumeId } from "../storage/volumes";
import { volumeAt } from "./node-files";

/** What a node command printed and its exit status. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** PVE's CLI tools print an error as its message and exit 255 (`PVE::CLIHandler`). */
function failed(e: unknown): CommandResult {
  if (e instanceof PveError) {
    const details = e.errors
      ? Object.entries(e.errors)
          .map(([k, v]) => `${k}: ${v}\n`)
          .join("")
      : "";
    return { stdout: "", stderr: `${e.status === 400 ? "400 " : ""}${e.message}\n${details}`, code: 255 };
  }
  throw e;
}

/**
 * `pvesm path <volid>` (pve-storage `PVE::Storage::path`): the host path of a volume; like PVE it
 * does not check that the file exists, only that the storage does.
 */
export function pvesmPath(sim: SimContext, node: string, volid: string): CommandResult {
  try {
    const { storeid, volname } = parseVolumeId(volid);
    const def = requireStorage(sim.state, storeid, node);
    const m = /^(iso|vztmpl|import|snippets|backup)\//.exec(volname);
    return { stdout: `${volumePath(def, volname, m ? m[1] : "images")}\n`, stderr: "", code: 0 };
  } catch (e) {
    return failed(e);
  }
}

/**
 * `qm disk import <vmid> <source> <storage> -format <fmt>` (qemu-server `PVE::CLI::qm::importdisk`
 * and `PVE::QemuServer::ImportDisk::do_import`): allocates an image sized like the source file on
 * the target storage (an unsupported format falls back to the storage's default with PVE's
 * warning) and records it as the VM's first free `unusedN`.
 */
export async function qmDiskImport(sim: SimContext, node: string, vmid: string, source: string, storeid: string, format: string): Promise<CommandResult> {
  try {
    if (!/^[1-9]\d{2,8}$/.test(vmid)) throw parameterError({ vmid: `invalid format - value does not look like a valid VM ID` });
    if (!["raw", "qcow2", "vmdk"].includes(format))
      throw parameterError({ format: `value '${format}' does not have a value in the enumeration 'raw, qcow2, vmdk'` });
    checkLock(loadVm(sim.state, node, vmid));
    const src = volumeAt(sim.state, node, source);
    if (!src) throw new PveError(500, `${source}: non-existent or non-regular file`);
    const def = requireStorage(sim.state, storeid, node);
    if (!def.content.includes("images")) throw new PveError(500, `storage ${storeid} does not support vm images`);
    const dstFormat = validFormats(def).includes(format) ? format : defaultFormat(def);
    const warning = dstFormat !== format ? `format '${format}' is not supported by the target storage - using '${dstFormat}' instead\n` : "";
    const volid = allocImage(sim.state, node, storeid, Number(vmid), dstFormat, undefined, src.virtualSize ?? src.size);
    const release = await flocks(sim.state).acquire(vmLockPath(Number(vmid)), "exclusive", LOCK_TIMEOUT_MS.config, node);
    let key: string;
    try {
      const conf = loadVm(sim.state, node, vmid).conf;
      addUnusedVolume(conf, volid);
      key = Object.keys(conf).find((k) => /^unused\d+$/.test(k) && conf[k] === volid) as string;
    } finally {
      release();
    }
    sim.save();
    return { stdout: `importing disk '${source}' to VM ${vmid} ...\n${key}: successfully imported disk '${volid}'\n`, stderr: warning, code: 0 };
  } catch (e) {
    return failed(e);
  }
}

/**
 * `qm set <vmid> -<option> <value>` as root@pam: the same update as `PUT …/config` (qemu-server
 * `update_vm_api`, schema-checked), then PVE's `write_config` rule that an `unusedN` entry goes
 * once its volume is used by a drive again.
 */
export async function qmSet(sim: SimContext, node: string, vmid: string, option: string, value: string): Promise<CommandResult> {
  try {
    const template = "/nodes/{node}/qemu/{vmid}/config";
    const params = { node, vmid, [option]: value };
    const method = ApiSchema.bundled().method(template, "PUT");
    if (!method) throw new PveError(500, `no schema for PUT ${template}`);
    const errors = validateParams(method, params);
    if (Object.keys(errors).length > 0) throw parameterError(errors);
    const req: ApiRequest = {
      method: "PUT",
      path: `/nodes/${node}/qemu/${vmid}/config`,
      template,
      params: { node, vmid },
      args: { [option]: value },
      auth: { userid: "root@pam" },
    };
    const change: ConfigChange = { set: { [option]: value }, delete: [], revert: [], skiplock: false };
    checkConfigChange(req, sim, loadVm(sim.state, node, vmid), change);
    const release = await flocks(sim.state).acquire(vmLockPath(Number(vmid)), "exclusive", LOCK_TIMEOUT_MS.config, node);
    try {
      const vm = loadVm(sim.state, node, vmid);
      applyConfigChange(req, sim, vm, change);
      dropReusedUnused(vm.conf);
    } finally {
      release();
    }
    sim.save();
    return { stdout: "", stderr: "", code: 0 };
  } catch (e) {
    return failed(e);
  }
}

/** `write_vm_config`: "remove 'unusedX' settings if we re-add a volume". */
function dropReusedUnused(conf: Record<string, string>): void {
  const used = new Set(
    Object.keys(conf)
      .filter((k) => isDriveKey(k) && !/^unused\d+$/.test(k))
      .map((k) => parseDrive(k, conf[k]).file),
  );
  for (const k of Object.keys(conf)) if (/^unused\d+$/.test(k) && used.has(conf[k])) delete conf[k];
}
