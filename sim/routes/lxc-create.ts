import { authId } from "../access-model";
import type { SimContext } from "../context";
import { removeGuestFirewall } from "../firewall/firewall-store";
import { hasPrivs, requirePrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { isValidSshKeyLine } from "../qemu/cloudinit-values";
import { LOCK_TIMEOUT_MS, storageLockPath } from "../qemu/flock";
import { addVmToPool } from "../qemu/pool-membership";
import { startJobTask } from "../qemu/task-job";
import { checkVolumeAccess } from "../qemu/vm-permissions";
import { assertVmidUnused } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { requireStorage } from "../storage/storage-config";
import { findVolume, tryParseVolumeId } from "../storage/volumes";
import { applyCtChange, checkCtChange } from "../lxc/ct-config";
import { createCtDisks, destroyCtDisks } from "../lxc/ct-disks";
import { CT_REQUEST_ONLY, isMountKey, newDiskRequest, parseMountPoint } from "../lxc/ct-options";
import { checkCtModifyConfigPerm } from "../lxc/ct-permissions";
import { CtRecord, ctLockPath, findCt, isCtRunning, putCt, removeCt } from "../lxc/ct-store";
import { startCtNow } from "./lxc-status";
import { requireNode } from "./nodes";
import { poolExists } from "./pools";

/** `ostype` values PVE's `PVE::LXC::Setup` detects, matched against the template's file name. */
const DETECTABLE_OSTYPES = ["debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo", "nixos"];

/** PVE's `validate_ssh_public_keys` on `ssh-public-keys` (one OpenSSH key per line, sent unescaped). */
function validateCtSshKeys(keys: string): void {
  for (const line of keys.split("\n")) {
    if (/^\s*$/.test(line)) continue;
    if (!isValidSshKeyLine(line)) throw new PveError(500, "SSH public key validation error");
  }
}

/** `create_vm`'s `check_and_activate_storage`: enabled on the node, allows `rootdir`, caller may allocate. */
function checkCtStorage(req: ApiRequest, sim: SimContext, storeid: string, node: string): void {
  const def = requireStorage(sim.state, storeid, node);
  if (!def.content.includes("rootdir")) throw parameterError({ storage: `storage '${storeid}' does not support container directories` });
  requirePrivs(req, sim, `/storage/${storeid}`, ["Datastore.AllocateSpace"]);
}

/**
 * `POST /nodes/{node}/lxc`: pve-container's `create_vm` (restore excluded). Checks privileges
 * (`VM.Allocate`, `Sys.Modify` for privileged containers, per-option ones), the template volume
 * (`vztmpl` content, read access) and the storages, writes the config with `lock: create`, then a
 * `vzcreate` task under the config lock allocates `rootfs`/`mpN` (default `<storage>:4`),
 * "extracts" the template, writes the final config with PVE's defaults (`hostname`, `memory`,
 * `swap`, `arch`, detected `ostype`) and adds the container to its pool; `start=1` then forks a
 * `vzstart` task. Password and SSH keys go
 * into the container's file system only — never into the config.
 */
function createCt(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.args.vmid);
  const emsg = `unable to create CT ${vmid} -`;
  if (req.args.restore === "1") throw new PveError(501, "restoring a container backup is not simulated");
  const param: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.args)) if (!CT_REQUEST_ONLY.has(k) && k !== "unprivileged") param[k] = v;
  const unprivileged = req.args.unprivileged === undefined ? true : req.args.unprivileged === "1";
  if (!unprivileged) requirePrivs(req, sim, "/", ["Sys.Modify"]);
  if (req.args["ha-managed"] === "1") {
    requirePrivs(req, sim, "/", ["Sys.Console"]);
    throw new PveError(501, "adding a new container as HA resource (ha-managed) is not simulated");
  }
  assertVmidUnused(sim.state, vmid);
  if (req.args["ssh-public-keys"] !== undefined) validateCtSshKeys(req.args["ssh-public-keys"]);
  const pool = req.args.pool;
  if (pool !== undefined && !poolExists(sim.state, pool)) throw new PveError(500, `pool '${pool}' does not exist`);
  const mayAllocate = hasPrivs(req, sim, `/vms/${vmid}`, ["VM.Allocate"]) || (pool !== undefined && hasPrivs(req, sim, `/pool/${pool}`, ["VM.Allocate"]));
  if (!mayAllocate) throw new PveError(403, "Permission check failed");
  const storage = req.args.storage ?? "local";
  checkCtModifyConfigPerm(req, sim, vmid, pool, undefined, param, [], unprivileged);

  const ostemplate = req.args.ostemplate;
  const tmpl = tryParseVolumeId(ostemplate);
  if (tmpl) {
    const vtype = /^(iso|vztmpl|import|backup|snippets)\//.exec(tmpl.volname)?.[1] ?? "images";
    if (vtype !== "vztmpl") throw new PveError(500, `unable to use volume ${ostemplate} - content type needs to be 'vztmpl'`);
    checkVolumeAccess(req, sim, vmid, ostemplate);
  } else if (ostemplate === "-") {
    throw new PveError(500, "pipe requires cli environment");
  } else if (authId(req.auth) !== "root@pam") {
    throw new PveError(500, "Only root can pass arbitrary filesystem paths.");
  }

  const mpParam: Record<string, string> = {};
  const noDiskParam: Record<string, string> = {};
  for (const [opt, value] of Object.entries(param)) {
    if (isMountKey(opt)) mpParam[opt] = /^\d+(\.\d+)?$/.test(value) ? `${storage}:${value}` : value;
    else if (!/^unused\d+$/.test(opt)) noDiskParam[opt] = value;
  }
  if (Object.keys(mpParam).length && mpParam.rootfs === undefined) throw new PveError(500, "mount points configured, but 'rootfs' not set - aborting");
  for (const [opt, value] of Object.entries(mpParam)) {
    const mp = parseMountPoint(opt, value);
    if (mp.type !== "volume") {
      if (authId(req.auth) !== "root@pam") throw new PveError(500, "Only root can pass arbitrary filesystem paths.");
      continue;
    }
    const storeid = newDiskRequest(mp.volume)?.storeid ?? tryParseVolumeId(mp.volume)?.storeid;
    if (storeid) checkCtStorage(req, sim, storeid, node);
  }
  if (mpParam.rootfs === undefined) {
    checkCtStorage(req, sim, storage, node);
    mpParam.rootfs = `${storage}:4`;
  }

  // update_pct_config on an empty, stopped container: validation and normalisation
  const draft: CtRecord = { vmid, node, conf: {}, run: "stopped" };
  const deletes = checkCtChange(sim.state, draft, { set: noDiskParam, delete: [] });
  applyCtChange(sim.state, draft, noDiskParam, deletes, () => sim.random());
  const conf = draft.conf;
  if (unprivileged) conf.unprivileged = "1";

  // create_and_lock_config: check_vmid_unused again, under the lock, with the create prefix
  try {
    assertVmidUnused(sim.state, vmid);
  } catch (e) {
    throw new PveError(500, `${emsg} ${(e as Error).message}`);
  }
  putCt(sim.state, { vmid, node, conf: { lock: "create" }, run: "stopped" });
  sim.save();

  const storages = [
    ...new Set(
      Object.values(mpParam)
        .map((v) => newDiskRequest(v.split(",")[0])?.storeid)
        .filter((s): s is string => !!s),
    ),
  ].sort();
  let volids: string[] = [];
  return startJobTask(
    sim,
    { node, type: "vzcreate", id: String(vmid), user: authId(req.auth) },
    {
      locks: [
        { path: ctLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config },
        ...storages.map((s) => ({ path: storageLockPath(s), mode: "exclusive" as const, timeoutMs: LOCK_TIMEOUT_MS.storage, node, errorPrefix: `${emsg} ` })),
      ],
      commit: (task) => {
        const ct = findCt(sim.state, vmid) as CtRecord;
        try {
          if (ct.conf.lock !== "create") throw new Error("Lost 'create' config lock, aborting.");
          if (tmpl && !findVolume(sim.state, node, ostemplate)) throw new Error(`volume '${ostemplate}' does not exist`);
          const created = createCtDisks(sim.state, node, vmid, mpParam);
          volids = created.volids;
          Object.assign(conf, created.options);
          task.log(`extracting archive '${ostemplate}'`);
          conf.arch ??= "amd64";
          const file = tmpl?.volname.split("/").pop() ?? "";
          conf.ostype ??= DETECTABLE_OSTYPES.find((os) => file.startsWith(`${os}-`)) ?? "unmanaged";
          conf.hostname ||= `CT${vmid}`;
          conf.memory ||= "512";
          conf.swap ??= "512";
        } catch (e) {
          destroyCtDisks(sim.state, node, volids);
          throw new PveError(500, `${emsg} ${(e as Error).message}`);
        }
        ct.conf = conf;
        if (pool !== undefined) addVmToPool(sim.state, pool, vmid);
        // after lock_config returned, the worker calls the vm_start API, which forks its own vzstart task
        if (req.args.start === "1") {
          startJobTask(
            sim,
            { node, type: "vzstart", id: String(vmid), user: authId(req.auth) },
            {
              locks: [{ path: ctLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
              commit: () => {
                const started = findCt(sim.state, vmid);
                if (started && !isCtRunning(started)) startCtNow(sim, started);
              },
            },
          );
        }
      },
      cleanup: (committed) => {
        if (!committed && findCt(sim.state, vmid)?.conf.lock === "create") {
          removeCt(sim.state, vmid);
          removeGuestFirewall(sim.state, vmid);
        }
      },
    },
  );
}

/** Container creation. */
export const lxcCreateRoutes: Route[] = [route("POST", "/nodes/{node}/lxc", createCt)];
