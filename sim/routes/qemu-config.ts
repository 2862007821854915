import { authId } from "../access-model";
import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { PveError } from "../pve-error";
import { MASKED_PASSWORD } from "../qemu/cloudinit-values";
import { jsonValue } from "../qemu/config-schema";
import { applyConfigChange, checkConfigChange, configChangeFromArgs } from "../qemu/config-update";
import { flocks, LOCK_TIMEOUT_MS, vmLockPath } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import { vmListEntry } from "../qemu/vm-status";
import { allVms, configDigest, loadVm, VmRecord } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { requireNode } from "./nodes";

/** The config as `GET …/config` answers it: typed values, `digest`, password masked. */
export function configJson(vm: VmRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vm.conf)) out[key] = key === "cipassword" ? MASKED_PASSWORD : jsonValue(key, value);
  out.digest = configDigest(vm.conf);
  return out;
}

function getConfig(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  if (req.args.snapshot) throw new PveError(500, `snapshot '${req.args.snapshot}' does not exist`);
  return configJson(loadVm(sim.state, req.params.node, req.params.vmid));
}

/** `GET …/pending`: every option with its current value (the simulator applies changes at once). */
function getPending(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  const vm = loadVm(sim.state, req.params.node, req.params.vmid);
  return Object.keys(vm.conf)
    .sort()
    .map((key) => ({ key, value: key === "cipassword" ? MASKED_PASSWORD : jsonValue(key, vm.conf[key]) }));
}

/** `PUT …/config`: the synchronous update, under the VM's config lock (10 s, as `lock_config`). */
async function putConfig(req: ApiRequest, sim: SimContext): Promise<null> {
  requireNode(sim, req.params.node);
  const vm = loadVm(sim.state, req.params.node, req.params.vmid);
  const change = configChangeFromArgs(req.args);
  checkConfigChange(req, sim, vm, change);
  const release = await flocks(sim.state).acquire(vmLockPath(vm.vmid), "exclusive", LOCK_TIMEOUT_MS.config);
  try {
    applyConfigChange(req, sim, loadVm(sim.state, req.params.node, req.params.vmid), change);
  } finally {
    release();
  }
  return null;
}

/** `POST …/config`: the same update as a `qmconfig` task. */
function postConfig(req: ApiRequest, sim: SimContext): string {
  requireNode(sim, req.params.node);
  const vm = loadVm(sim.state, req.params.node, req.params.vmid);
  const change = configChangeFromArgs(req.args);
  checkConfigChange(req, sim, vm, change);
  return startJobTask(
    sim,
    { node: vm.node, type: "qmconfig", id: String(vm.vmid), user: authId(req.auth) },
    {
      locks: [{ path: vmLockPath(vm.vmid), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.config }],
      commit: () => applyConfigChange(req, sim, loadVm(sim.state, req.params.node, req.params.vmid), change),
    },
  );
}

/** `GET /nodes/{node}/qemu`: the node's VMs the caller may audit. */
function listVms(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  return allVms(sim.state)
    .filter((vm) => vm.node === req.params.node && hasPrivs(req, sim, `/vms/${vm.vmid}`, ["VM.Audit"]))
    .map(vmListEntry);
}

function vmIndex(req: ApiRequest, sim: SimContext): unknown {
  requireNode(sim, req.params.node);
  loadVm(sim.state, req.params.node, req.params.vmid);
  const subdirs = [
    "config",
    "pending",
    "status",
    "unlink",
    "vncproxy",
    "termproxy",
    "migrate",
    "resize",
    "move",
    "rrd",
    "rrddata",
    "monitor",
    "agent",
    "snapshot",
    "spiceproxy",
    "sendkey",
    "firewall",
    "mtunnel",
    "remote_migrate",
  ];
  return subdirs.map((subdir) => ({ subdir }));
}

/** VM list, index, config (read, pending, update sync and async). */
export const qemuConfigRoutes: Route[] = [
  route("GET", "/nodes/{node}/qemu", listVms),
  route("GET", "/nodes/{node}/qemu/{vmid}", vmIndex),
  route("GET", "/nodes/{node}/qemu/{vmid}/config", getConfig),
  route("PUT", "/nodes/{node}/qemu/{vmid}/config", putConfig),
  route("POST", "/nodes/{node}/qemu/{vmid}/config", postConfig),
  route("GET", "/nodes/{node}/qemu/{vmid}/pending", getPending),
];
