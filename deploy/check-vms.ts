import * as net from "net";
import type { VmRow } from "../inventory/ansible-inventory";
import { connectionFromEnv, PveConnection, pveRequest } from "../pve/pve-client";
import { simulatorName } from "../pve/simulator-identity";
import { readDeployedAppStack } from "./app-state";
import type { CdktfApp } from "./cdktf-app";
import { DeployedEnvironment, readDeployedEnvironment } from "./environment-outputs";
import { resolveTarget, Target } from "./target";

/** The post-deploy check of one VM. */
export interface VmCheck {
  readonly name: string;
  readonly ipv4: string;
  /**
   * IPv4 addresses the guest reports on its network interfaces (its loopback interface left out):
   * a VM's through its guest agent, a container's through PVE (`/lxc/{vmid}/interfaces`).
   */
  readonly agentIps: readonly string[];
  /** "open", "closed" (refused or timed out), or "not checked" with the reason. */
  readonly port: { readonly number: number; readonly state: "open" | "closed" | "not checked"; readonly note?: string };
  /** True when the agent reported an address and the port was open (or could not be checked here). */
  readonly ok: boolean;
}

interface AgentInterface {
  readonly name: string;
  readonly "ip-addresses"?: { readonly "ip-address-type": string; readonly "ip-address": string }[];
  /** A container interface's IPv4 with prefix (pve-container `get_interfaces`), when `ip-addresses` is absent. */
  readonly inet?: string;
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

const isLoopback = (ip: string) => ip.startsWith("127.");

/**
 * The guest's own loopback interface (`lo` on Linux, "Loopback Pseudo-Interface 1" on Windows).
 * Judged by interface, not by address: a NIC may carry a 127.x address (test networks), and that
 * address is the one the TCP check goes to.
 */
const isLoopbackInterface = (i: AgentInterface) => i.name === "lo" || /loopback/i.test(i.name);

/**
 * Whether the API is a simulator: the embedded one, or any endpoint whose `GET /version` says so.
 * A simulator's guest addresses are invented (10.x): nothing may be sent to them.
 */
async function isSimulator(target: Target, conn: PveConnection): Promise<boolean> {
  if (target.simulated) return true;
  return simulatorName(await pveRequest<unknown>(conn, "GET", "/version")) !== undefined;
}

/** Options of {@link checkDeployedVms}. */
export interface CheckVmsOptions {
  /** Where the VMs run. @default resolved from the environment (a real PVE, else the embedded simulator) */
  readonly target?: Target;
  /** `--sim`: the embedded simulator for a non-dev environment (when no target is given). @default false */
  readonly sim?: boolean;
  /** Time limit of each TCP connection attempt in milliseconds. @default 3000 */
  readonly timeoutMs?: number;
  /**
   * The environment and the VMs to check, instead of the VMs the last deploy recorded in the
   * Terraform state (tests check guests they created through the API).
   * @default read from the environment's Terraform state
   */
  readonly deployed?: DeployedEnvironment;
}

/**
 * Checks every guest of a deployed environment: the guest agent (a container: PVE) reports an IPv4 address, and SSH (22)
 * — or RDP (3389) on Windows tiers — accepts TCP connections. Against a simulator (embedded, or any
 * endpoint whose GET /version names one) only loopback addresses are probed: the others are
 * "not checked", and no traffic leaves the machine for simulated guests.
 */
export async function checkDeployedVms(root: string, name: string, opts: CheckVmsOptions = {}): Promise<VmCheck[]> {
  const deployed = opts.deployed ?? (await readDeployedEnvironment(root, name));
  const vms = deployed.vms.map((vm) => {
    const tier = deployed.env.tiers[vm.tier];
    return { vm, kind: tier?.kind ?? "vm", windows: tier?.os === "windows" };
  });
  return checkVms(vms, opts.target ?? (await resolveTarget({ root, env: name, sim: opts.sim })), !opts.target, opts.timeoutMs);
}

/**
 * The same checks for the VMs of a cdktf app's stack, read from its Terraform state. An app has no
 * stage: the embedded simulator is used only when `sim` chooses it.
 */
export async function checkAppStackVms(
  app: CdktfApp,
  stack: string | undefined,
  opts: Pick<CheckVmsOptions, "target" | "sim" | "timeoutMs"> = {},
): Promise<VmCheck[]> {
  const deployed = await readDeployedAppStack(app, stack);
  // An app's state is read for VMs only (deploy/app-state.ts).
  return checkVms(
    deployed.vms.map((vm) => ({ vm, kind: "vm", windows: vm.windows })),
    opts.target ?? (await resolveTarget({ root: app.dir, sim: opts.sim })),
    !opts.target,
    opts.timeoutMs,
  );
}

/** Checks each guest on `target` (stopped afterwards when `ownTarget`): RDP on Windows VMs, SSH on the others. */
async function checkVms(
  vms: readonly { vm: VmRow; kind: "vm" | "container"; windows: boolean }[],
  target: Target,
  ownTarget: boolean,
  timeoutMs = 3000,
): Promise<VmCheck[]> {
  try {
    const conn = connectionFromEnv({ ...process.env, ...target.env });
    if (!conn) throw new Error("PROXMOX_VE_API_TOKEN is needed to ask the guest agents (PROXMOX_VE_ENDPOINT is set without it).");
    const simulated = await isSimulator(target, conn);
    return await Promise.all(vms.map(({ vm, kind, windows }) => checkVm(vm, kind, windows ? 3389 : 22, conn, simulated, timeoutMs)));
  } finally {
    if (ownTarget) await target.stop();
  }
}

/**
 * The guest's interfaces as it reports them: a VM's guest agent (`network-get-interfaces`), or a
 * container's network namespace as PVE reads it (`/lxc/{vmid}/interfaces`; null while stopped).
 */
async function guestInterfaces(vm: VmRow, kind: "vm" | "container", conn: PveConnection): Promise<AgentInterface[]> {
  const node = encodeURIComponent(vm.node);
  if (kind === "container") return (await pveRequest<AgentInterface[] | null>(conn, "GET", `/nodes/${node}/lxc/${vm.id}/interfaces`)) ?? [];
  return (await pveRequest<{ result: AgentInterface[] }>(conn, "GET", `/nodes/${node}/qemu/${vm.id}/agent/network-get-interfaces`)).result;
}

/**
 * IPv4 addresses of an interface, from its `ip-addresses`: the guest agent types them `ipv4`, a
 * container's interfaces `inet` (pve-container `get_interfaces` passes on `ip --json a`'s family);
 * else from a container's older `inet` field.
 */
function ipv4Of(i: AgentInterface): string[] {
  if (i["ip-addresses"]) return i["ip-addresses"].filter((a) => a["ip-address-type"] === "ipv4" || a["ip-address-type"] === "inet").map((a) => a["ip-address"]);
  return i.inet ? [i.inet.split("/")[0]] : [];
}

async function checkVm(vm: VmRow, kind: "vm" | "container", port: number, conn: PveConnection, simulated: boolean, timeoutMs: number): Promise<VmCheck> {
  let agentIps: string[] = [];
  try {
    agentIps = (await guestInterfaces(vm, kind, conn)).filter((i) => !isLoopbackInterface(i)).flatMap(ipv4Of);
  } catch {
    agentIps = [];
  }
  let portState: VmCheck["port"];
  if (vm.ipv4 === "") {
    // An empty host would make net.connect try localhost: say what is missing instead.
    portState = { number: port, state: "not checked", note: "no IPv4 address in the state" };
  } else if (simulated && !isLoopback(vm.ipv4)) {
    portState = { number: port, state: "not checked", note: "simulated guest address" };
  } else {
    portState = { number: port, state: (await probeTcp(vm.ipv4, port, timeoutMs)) ? "open" : "closed" };
  }
  return { name: vm.name, ipv4: vm.ipv4, agentIps, port: portState, ok: agentIps.length > 0 && portState.state !== "closed" };
}
