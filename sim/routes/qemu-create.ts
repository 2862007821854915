import { authId } from "../access-model";
import type { SimContext } from "../context";
import { hasPrivs, requirePrivs } from "../permission-check";
import { PveError } from "../pve-error";
import { validateSshKeys } from "../qemu/cloudinit-values";
import { CREATE_REQUEST_ONLY } from "../qemu/config-schema";
import { allocationStorages, checkDriveParams, createDisks } from "../qemu/disk-alloc";
import { isCdrom, isDriveKey, parseDrive, sortDriveKeys } from "../qemu/drive";
import { LOCK_TIMEOUT_MS, storageLockPath, vmLockPath } from "../qemu/flock";
import { normaliseNet } from "../qemu/net";
import { addVmToPool } from "../qemu/pool-membership";
import { startJobTask } from "../qemu/task-job";
import { QEMU_VERSION } from "../qemu/vm-status";
import { newUuid, uniqueTags } from "../qemu/vm-conf";
import { checkBridgeAccess, checkModifyConfigPerm, checkSerialPerm, checkStorageAccess, checkVmPerm } from "../qemu/vm-permissions";
import { assertVmidUnused, findVm, loadVm, putVm, removeVm } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { poolExists } from "./pools";
import { requireNode } from "./nodes";
import { startVmNow } from "./qemu-status";

/** PVE's default boot order: first disk, first CD-ROM (cloud-init counts), first NIC. */
function defaultBoot(conf: Readonly<Record<string, string>>): string {
  const drives = sortDriveKeys(Object.keys(conf)).filter((k) => k !== "efidisk0" && k !== "tpmstate0");
  const first = (cdrom: boolean): string | undefined =>
    drives.find((k) => {
      const d = parseDrive(k, conf[k]);
      return isCdrom(d) === cdrom && d.file !== "none";
    });
  const devs = [
    first(false),
    first(true),
    Object.keys(conf)
      .filter((k) => /^net\d+$/.test(k))
      .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))[0],
  ];
  const order = devs.filter((d): d is string => d !== undefined);
  return order.length ? `order=${order.join(";")}` : "";
}

/**
 * `POST /nodes/{node}/qemu`: PVE's `create_vm` (restore excluded). The config appears at once with
 * `lock: create`; the `qmcreate` task allocates the disks (new, imported, cloud-init, EFI, TPM)
 * while holding the VM's and the storages' locks, then writes the final config — with the
 * `meta`, `smbios1`, `vmgenid` and `boot` options PVE adds — and drops the lock. On failure the
 * volumes and the config are removed: `unable to create VM 100 - …`.
 */
function createVm(req: ApiRequest, sim: SimContext): string {
  const node = req.params.node;
  requireNode(sim, node);
  const vmid = Number(req.args.vmid);
  const emsg = `unable to create VM ${vmid} -`;
  if (req.args.archive !== undefined) throw new PveError(501, "restoring from a backup archive is not simulated");
  const { pool, storage } = req.args;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.args)) if (!CREATE_REQUEST_ONLY.has(k)) params[k === "cdrom" ? "ide2" : k] = v;
  if (params.sshkeys !== undefined) validateSshKeys(params.sshkeys);
  if (pool !== undefined && !poolExists(sim.state, pool)) throw new PveError(500, `pool '${pool}' does not exist`);
  if (storage !== undefined) requirePrivs(req, sim, `/storage/${storage}`, ["Datastore.AllocateSpace"]);
  if (req.args.start === "1") checkVmPerm(req, sim, vmid, pool, ["VM.PowerMgmt"]);
  const mayAllocate = hasPrivs(req, sim, `/vms/${vmid}`, ["VM.Allocate"]) || (pool !== undefined && hasPrivs(req, sim, `/pool/${pool}`, ["VM.Allocate"]));
  if (!mayAllocate) throw new PveError(403, "Permission check failed");
  if (Object.keys(params).length) {
    checkStorageAccess(req, sim, vmid, params, storage);
    checkModifyConfigPerm(req, sim, vmid, pool, Object.keys(params));
    for (const k of Object.keys(params)) if (/^serial\d+$/.test(k)) checkSerialPerm(req, sim, vmid, pool, k, params[k]);
    checkBridgeAccess(req, sim, params);
    checkDriveParams(params);
    for (const k of Object.keys(params)) if (/^net\d+$/.test(k)) params[k] = normaliseNet(k, params[k], () => sim.random());
  }
  try {
    assertVmidUnused(sim.state, vmid);
  } catch (e) {
    throw new PveError(500, `${emsg} ${(e as Error).message}`);
  }
  putVm(sim.state, { vmid, node, conf: { lock: "create" }, run: "stopped" });
  sim.save();

  const storages = allocationStorages(params, storage);
  return startJobTask(
    sim,
    { node, type: "qmcreate", id: String(vmid), user: authId(req.auth) },
    {
      locks: [
        { path: vmLockPath(vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.clone },
        ...storages.map((s) => ({ path: storageLockPath(s), mode: "exclusive" as const, timeoutMs: LOCK_TIMEOUT_MS.storage, node, errorPrefix: `${emsg} ` })),
      ],
      commit: () => {
        const vm = loadVm(sim.state, node, vmid);
        const conf: Record<string, string> = { ...params };
        try {
          const drives = Object.fromEntries(
            Object.keys(params)
              .filter(isDriveKey)
              .map((k) => [k, params[k]]),
          );
          Object.assign(conf, createDisks({ state: sim.state, node, vmid, conf, defaultStorage: storage }, drives).options);
          if (!conf.boot) {
            const boot = defaultBoot(conf);
            if (boot) conf.boot = boot;
          }
          conf.smbios1 ??= `uuid=${newUuid(() => sim.random())}`;
          if (conf.vmgenid === undefined || conf.vmgenid === "1") conf.vmgenid = newUuid(() => sim.random());
          conf.meta = `creation-qemu=${QEMU_VERSION},ctime=${Math.floor(Date.now() / 1000)}`;
          if (conf.tags !== undefined) conf.tags = uniqueTags(conf.tags);
          if (conf.tags === "") delete conf.tags;
        } catch (e) {
          throw new PveError(500, `${emsg} ${(e as Error).message}`);
        }
        vm.conf = conf;
        if (pool !== undefined) addVmToPool(sim.state, pool, vmid);
        if (req.args.start === "1") startVmNow(vm);
      },
      cleanup: (committed) => {
        if (!committed && findVm(sim.state, vmid)?.conf.lock === "create") removeVm(sim.state, vmid);
      },
    },
  );
}

/** VM creation. */
export const qemuCreateRoutes: Route[] = [route("POST", "/nodes/{node}/qemu", createVm)];
