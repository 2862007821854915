import type { SimContext } from "../context";
import { parameterError, PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import type { ApiRequest } from "../route";
import { hashCloudinitPassword, validateSshKeys } from "./cloudinit-values";
import { optionExists } from "./config-schema";
import { checkDriveParams, createDisks } from "./disk-alloc";
import { isCdrom, isCloudinit, isDriveKey, parseDrive } from "./drive";
import { normaliseNet } from "./net";
import { detachDrive, uniqueTags, newUuid } from "./vm-conf";
import { checkBridgeAccess, checkDrivePerm, checkModifyConfigPerm, checkSerialPerm, checkStorageAccess } from "./vm-permissions";
import { checkLock, configDigest, VmRecord } from "./vm-store";

/** A `PUT`/`POST /nodes/{node}/qemu/{vmid}/config` request, split as PVE's `update_vm_api` splits it. */
export interface ConfigChange {
  readonly set: Record<string, string>;
  readonly delete: string[];
  readonly revert: string[];
  readonly digest?: string;
  readonly skiplock: boolean;
}

const REQUEST_ONLY = new Set([
  "node",
  "vmid",
  "digest",
  "background_delay",
  "skip_cloud_init",
  "import-working-storage",
  "skiplock",
  "delete",
  "revert",
  "force",
]);

/** Splits the request arguments into options to set, to delete (`cdrom` → `ide2`) and to revert. */
export function configChangeFromArgs(args: Readonly<Record<string, string>>): ConfigChange {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) if (!REQUEST_ONLY.has(k)) set[k === "cdrom" ? "ide2" : k] = v;
  return {
    set,
    delete: splitList(args.delete ?? "").map((o) => (o === "cdrom" ? "ide2" : o)),
    revert: splitList(args.revert ?? ""),
    digest: args.digest,
    skiplock: args.skiplock === "1",
  };
}

/**
 * The checks PVE makes before taking the config lock: argument conflicts, SSH keys, drive
 * syntax, per-option privileges, storage and bridge access, digest and config lock. Normalises
 * `netN` values (MAC added) in place.
 */
export function checkConfigChange(req: ApiRequest, sim: SimContext, vm: VmRecord, change: ConfigChange): void {
  if (req.auth.userid !== "root@pam" && change.skiplock) throw parameterError({ skiplock: "Only root may use this option." });
  if (change.set.sshkeys !== undefined) validateSshKeys(change.set.sshkeys);
  if (!change.delete.length && !change.revert.length && !Object.keys(change.set).length) throw new PveError(500, "no options specified");
  for (const opt of change.revert) {
    if (!optionExists(opt)) throw parameterError({ revert: `unknown option '${opt}'` });
    if (change.set[opt] !== undefined) throw parameterError({ delete: `you can't use '-${opt}' and -revert ${opt}' at the same time` });
  }
  for (const opt of change.delete) {
    if (change.set[opt] !== undefined) throw parameterError({ delete: `you can't use '-${opt}' and -delete ${opt}' at the same time` });
    if (change.revert.includes(opt)) throw parameterError({ revert: `you can't use '-delete ${opt}' and -revert ${opt}' at the same time` });
    if (!optionExists(opt)) throw parameterError({ delete: `unknown option '${opt}'` });
  }
  checkDriveParams(change.set);
  for (const [key, value] of Object.entries(change.set)) {
    if (/^net\d+$/.test(key)) change.set[key] = normaliseNet(key, value, () => sim.random());
    else if (key === "vmgenid" && value === "1") change.set[key] = newUuid(() => sim.random());
  }
  checkModifyConfigPerm(req, sim, vm.vmid, undefined, change.delete);
  checkModifyConfigPerm(req, sim, vm.vmid, undefined, Object.keys(change.set));
  checkStorageAccess(req, sim, vm.vmid, change.set);
  checkBridgeAccess(req, sim, change.set);
  loadAndCheck(vm, change);
}

function loadAndCheck(vm: VmRecord, change: ConfigChange): void {
  if (change.digest && change.digest !== configDigest(vm.conf)) throw new PveError(500, "checksum mismatch (file change by other user?)");
  if (!change.skiplock) checkLock(vm);
  const memory = Number((change.set.memory ?? vm.conf.memory ?? "512").replace(/^current=/, "").split(",")[0]);
  const balloon = Number(change.set.balloon ?? vm.conf.balloon ?? 0);
  if ((change.set.memory || change.set.balloon !== undefined) && balloon && balloon > memory) {
    throw new PveError(500, "balloon value too large (must be smaller than assigned memory)");
  }
}

function bootOrder(conf: Readonly<Record<string, string>>): string[] {
  const m = /(?:^|,)order=([^,]*)/.exec(conf.boot ?? "");
  return m ? m[1].split(";").filter((d) => d !== "") : [];
}

/**
 * PVE's `updatefn` under the config lock: deletions (drives of a stopped VM become `unusedN`,
 * cloud-init drives are freed, protected VMs keep their drives), then additions and changes
 * (disks allocated, tags sorted and deduplicated, password hashed, boot order checked). Changes
 * apply at once; the simulator has no pending section.
 */
export function applyConfigChange(req: ApiRequest, sim: SimContext, vm: VmRecord, change: ConfigChange): void {
  loadAndCheck(vm, change);
  const conf = vm.conf;
  let order = bootOrder(conf);
  const bootDeleted = change.delete.includes("boot");
  for (const opt of change.delete) {
    const value = conf[opt];
    if (value === undefined) continue; // PVE only warns: "cannot delete 'x' - not set in current configuration!"
    if (!bootDeleted && order.includes(opt)) {
      order = order.filter((d) => d !== opt);
      conf.boot = `order=${order.join(";")}`;
    }
    if (/^unused\d+$/.test(opt)) {
      const drive = parseDrive(opt, value);
      if (conf.protection === "1") throw new PveError(500, `can't remove unused disk '${drive.file}' - protection mode enabled`);
      detachDrive(sim.state, vm, opt, drive, true);
    } else if (isDriveKey(opt)) {
      if (conf.protection === "1") throw new PveError(500, `can't remove drive '${opt}' - protection mode enabled`);
      const drive = parseDrive(opt, value);
      checkDrivePerm(req, sim, vm.vmid, drive);
      detachDrive(sim.state, vm, opt, drive, false);
    } else {
      if (/^serial\d+$/.test(opt)) checkSerialPerm(req, sim, vm.vmid, undefined, opt, value);
      if (/^net\d+$/.test(opt)) checkBridgeAccess(req, sim, { [opt]: value });
      delete conf[opt];
    }
  }
  for (const opt of change.revert) delete conf[opt];
  for (const [opt, value] of Object.entries(change.set)) {
    if (isDriveKey(opt)) {
      const old = conf[opt] !== undefined ? parseDrive(opt, conf[opt]) : undefined;
      if (old) checkDrivePerm(req, sim, vm.vmid, old);
      const drive = parseDrive(opt, value);
      checkDrivePerm(req, sim, vm.vmid, drive);
      if (opt === "tpmstate0" && old && drive.version && old.version && drive.version !== old.version) {
        throw new PveError(500, "cannot change TPM state version after creation");
      }
      const { options } = createDisks({ state: sim.state, node: vm.node, vmid: vm.vmid, conf }, { [opt]: value });
      const created = parseDrive(opt, options[opt]);
      if (old && old.file !== created.file && !(isCdrom(old) && !isCloudinit(old))) detachDrive(sim.state, vm, opt, old, false);
      conf[opt] = options[opt];
      if (order.length && isCdrom(created, true) && !order.includes(opt)) {
        order.push(opt);
        conf.boot = `order=${order.join(";")}`;
      }
    } else if (/^serial\d+$/.test(opt)) {
      checkSerialPerm(req, sim, vm.vmid, undefined, opt, value);
      conf[opt] = value;
    } else if (opt === "tags") {
      conf.tags = uniqueTags(value);
    } else if (opt === "cipassword") {
      conf.cipassword = hashCloudinitPassword(value, () => sim.random());
    } else if (opt === "boot") {
      const devs = bootOrder({ boot: value });
      for (const dev of devs) {
        const exists = conf[dev] !== undefined || change.set[dev] !== undefined;
        if (!exists || change.delete.includes(dev)) throw new PveError(500, `invalid bootorder: device '${dev}' does not exist'`);
      }
      conf.boot = devs.length ? `order=${devs.join(";")}` : value;
      if (devs.length) delete conf.bootdisk;
      order = devs;
    } else {
      conf[opt] = value;
    }
  }
  if (conf.tags === "") delete conf.tags;
}
