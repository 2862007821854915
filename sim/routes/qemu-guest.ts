import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { MASKED_PASSWORD } from "../qemu/cloudinit-values";
import { cloudinitOptions, metaData, networkData, userData } from "../qemu/cloudinit-dump";
import { flocks, LOCK_TIMEOUT_MS, vmLockPath } from "../qemu/flock";
import { assertAgentAvailable, networkInterfaces, osInfo } from "../qemu/guest-agent";
import { loadVm } from "../qemu/vm-store";
import { ApiRequest, route, Route } from "../route";
import { requireNode } from "./nodes";

function vmOf(req: ApiRequest, sim: SimContext) {
  requireNode(sim, req.params.node);
  return loadVm(sim.state, req.params.node, req.params.vmid);
}

/** An agent command: PVE's availability checks, then the simulated answer. */
function agent(answer: (vm: ReturnType<typeof vmOf>) => unknown) {
  return (req: ApiRequest, sim: SimContext): unknown => {
    const vm = vmOf(req, sim);
    assertAgentAvailable(vm);
    return answer(vm);
  };
}

/**
 * `GET …/cloudinit`: the cloud-init options with what the drive was last generated from
 * (`pending` where they differ, `delete: 1` where an option was removed since).
 */
function cloudinitPending(req: ApiRequest, sim: SimContext): unknown {
  const vm = vmOf(req, sim);
  const current = cloudinitOptions(vm.conf);
  const generated = vm.cloudinit ?? {};
  const mask = (k: string, v: string) => (k === "cipassword" ? MASKED_PASSWORD : v);
  const keys = [...new Set([...Object.keys(current), ...Object.keys(generated)])].sort();
  return keys.map((key) => {
    const entry: Record<string, unknown> = { key };
    if (generated[key] !== undefined) entry.value = mask(key, generated[key]);
    if (current[key] === undefined) entry.delete = 1;
    else if (current[key] !== generated[key]) entry.pending = mask(key, current[key]);
    return entry;
  });
}

/** `PUT …/cloudinit`: regenerates the drive under the config lock (no task, as in PVE). */
async function cloudinitRegenerate(req: ApiRequest, sim: SimContext): Promise<null> {
  const vm = vmOf(req, sim);
  const release = await flocks(sim.state).acquire(vmLockPath(vm.vmid), "exclusive", LOCK_TIMEOUT_MS.config);
  try {
    vm.cloudinit = cloudinitOptions(vm.conf);
  } finally {
    release();
  }
  return null;
}

function cloudinitDump(req: ApiRequest, sim: SimContext): string {
  const vm = vmOf(req, sim);
  switch (req.args.type) {
    case "user":
      return userData(vm);
    case "network":
      return networkData(vm);
    case "meta":
      return metaData(vm);
    default:
      throw new PveError(400, `unknown cloud-init config type '${req.args.type}'`);
  }
}

const AGENT_COMMANDS = [
  "fsfreeze-freeze",
  "fsfreeze-status",
  "fsfreeze-thaw",
  "fstrim",
  "get-fsinfo",
  "get-host-name",
  "get-memory-block-info",
  "get-memory-blocks",
  "get-osinfo",
  "get-time",
  "get-timezone",
  "get-users",
  "get-vcpus",
  "info",
  "network-get-interfaces",
  "ping",
  "shutdown",
  "suspend-disk",
  "suspend-hybrid",
  "suspend-ram",
];

/** Guest agent (ping, interfaces, OS info) and cloud-init (pending, regenerate, dump). */
export const qemuGuestRoutes: Route[] = [
  route("GET", "/nodes/{node}/qemu/{vmid}/agent", (req, sim) => {
    vmOf(req, sim);
    return AGENT_COMMANDS.map((name) => ({ name }));
  }),
  route(
    "POST",
    "/nodes/{node}/qemu/{vmid}/agent/ping",
    agent(() => ({ result: {} })),
  ),
  route("GET", "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", agent(networkInterfaces)),
  route("GET", "/nodes/{node}/qemu/{vmid}/agent/get-osinfo", agent(osInfo)),
  route(
    "GET",
    "/nodes/{node}/qemu/{vmid}/agent/get-host-name",
    agent((vm) => ({ result: { "host-name": (vm.conf.name ?? `VM${vm.vmid}`).replace(/\..*$/, "") } })),
  ),
  route("GET", "/nodes/{node}/qemu/{vmid}/cloudinit", cloudinitPending),
  route("PUT", "/nodes/{node}/qemu/{vmid}/cloudinit", cloudinitRegenerate),
  route("GET", "/nodes/{node}/qemu/{vmid}/cloudinit/dump", cloudinitDump),
];
