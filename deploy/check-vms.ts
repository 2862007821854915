import * as net from "net";
import type { VmRow } from "../inventory/ansible-inventory";
import { connectionFromEnv, pveRequest } from "../pve/pve-client";
import { readDeployedEnvironment } from "./environment-outputs";
import { resolveTarget, Target } from "./target";

/** The post-deploy check of one VM. */
export interface VmCheck {
  readonly name: string;
  readonly ipv4: string;
  /** IPv4 addresses the guest agent reports (loopback left out). */
  readonly agentIps: readonly string[];
  /** "open", "closed" (refused or timed out), or "skipped" with the reason. */
  readonly port: { readonly number: number; readonly state: "open" | "closed" | "skipped"; readonly note?: string };
  /** True when the agent reported an address and the port was open (or could not be checked here). */
  readonly ok: boolean;
}

interface AgentInterface {
  readonly name: string;
  readonly "ip-addresses"?: { readonly "ip-address-type": string; readonly "ip-address": string }[];
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
 * Checks every VM of a deployed environment: the guest agent reports an IPv4 address, and SSH (22)
 * — or RDP (3389) on Windows tiers — accepts TCP connections. Against the embedded simulator only
 * loopback addresses are probed: no traffic leaves the machine for simulated guests.
 */
export async function checkDeployedVms(root: string, name: string, opts: { target?: Target; timeoutMs?: number } = {}): Promise<VmCheck[]> {
  const deployed = await readDeployedEnvironment(root, name);
  const target = opts.target ?? (await resolveTarget({ root }));
  try {
    const conn = connectionFromEnv({ ...process.env, ...target.env });
    if (!conn) throw new Error("PROXMOX_VE_API_TOKEN is needed to ask the guest agents (PROXMOX_VE_ENDPOINT is set without it).");
    return await Promise.all(deployed.vms.map((vm) => checkVm(vm, deployed.env.tiers[vm.tier]?.os === "windows" ? 3389 : 22, conn, target, opts.timeoutMs ?? 3000)));
  } finally {
    if (!opts.target) await target.stop();
  }
}

async function checkVm(vm: VmRow, port: number, conn: NonNullable<ReturnType<typeof connectionFromEnv>>, target: Target, timeoutMs: number): Promise<VmCheck> {
  let agentIps: string[] = [];
  try {
    const answer = await pveRequest<{ result: AgentInterface[] }>(conn, "GET", `/nodes/${encodeURIComponent(vm.node)}/qemu/${vm.id}/agent/network-get-interfaces`);
    agentIps = answer.result
      .flatMap((i) => i["ip-addresses"] ?? [])
      .filter((a) => a["ip-address-type"] === "ipv4" && !isLoopback(a["ip-address"]))
      .map((a) => a["ip-address"]);
  } catch {
    agentIps = [];
  }
  let portState: VmCheck["port"];
  if (target.simulated && !isLoopback(vm.ipv4)) {
    portState = { number: port, state: "skipped", note: "simulated guest outside loopback: no traffic sent" };
  } else {
    portState = { number: port, state: (await probeTcp(vm.ipv4, port, timeoutMs)) ? "open" : "closed" };
  }
  return { name: vm.name, ipv4: vm.ipv4, agentIps, port: portState, ok: agentIps.length > 0 && portState.state !== "closed" };
}
