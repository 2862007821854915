import { createHash } from "crypto";
import { doesNotExist, PveError } from "../pve-error";
import { own } from "../dict";
import type { SimState } from "../sim-state";

/** One QEMU VM as the simulator keeps it: its config file and its runtime state. */
export interface VmRecord {
  vmid: number;
  /** Node whose `qemu-server/<vmid>.conf` holds the config. */
  node: string;
  /** The config file's options, as the strings written there (`cores: 2` → `"2"`). */
  conf: Record<string, string>;
  /** Cloud-init values PVE remembers from the last drive generation (`[special:cloudinit]`). */
  cloudinit?: Record<string, string>;
  /** Runtime: `running`, `paused` (suspended, still running) or `stopped`. */
  run: "running" | "paused" | "stopped";
  /** Start time of the running VM, ms since the epoch. */
  startedAt?: number;
  /** Simulated QEMU process id of a running VM. */
  pid?: number;
}

/** The qemu slice: every VM of the cluster by id. */
export interface QemuSlice {
  vms: Record<string, VmRecord>;
}

/** The qemu slice of the state. */
export function qemuSlice(state: SimState): QemuSlice {
  return state.slice<QemuSlice>("qemu", () => ({ vms: {} }));
}

/** Every VM, sorted by id. */
export function allVms(state: SimState): VmRecord[] {
  return Object.values(qemuSlice(state).vms).sort((a, b) => a.vmid - b.vmid);
}

/** A VM anywhere in the cluster (its config as PVE reads the file back), or undefined. */
export function findVm(state: SimState, vmid: number): VmRecord | undefined {
  const vm = own(qemuSlice(state).vms, String(vmid));
  if (vm) readBackDescription(vm.conf);
  return vm;
}

/**
 * What a description looks like after qemu-server wrote and re-read the config: `write_vm_config`
 * writes it as `#` comment lines only when it is true in Perl (not `""` or `"0"`), and
 * `parse_vm_config` joins those lines and strips trailing whitespace (`$descr =~ s/\s+$//`).
 * Every read of a config goes through here, so a description sent with a trailing newline reads
 * back without it, as from PVE.
 */
function readBackDescription(conf: Record<string, string>): void {
  if (conf.description === undefined) return;
  if (conf.description === "" || conf.description === "0") delete conf.description;
  else conf.description = conf.description.replace(/\s+$/, "");
}

/** PVE's config path of a VM: `nodes/pve1/qemu-server/100.conf`. */
export function configPath(node: string, vmid: number): string {
  return `nodes/${node}/qemu-server/${vmid}.conf`;
}

/**
 * PVE's `load_config` on `node`: the VM, or `Configuration file 'nodes/<node>/qemu-server/<vmid>.conf'
 * does not exist` (HTTP 500) when it does not exist there — also when it lives on another node.
 */
export function loadVm(state: SimState, node: string, vmid: number | string): VmRecord {
  const vm = findVm(state, Number(vmid));
  if (!vm || vm.node !== node) throw doesNotExist(`Configuration file '${configPath(node, Number(vmid))}' does not exist`);
  return vm;
}

/** Adds a VM record (its config exists from now on). */
export function putVm(state: SimState, vm: VmRecord): void {
  qemuSlice(state).vms[String(vm.vmid)] = vm;
}

/** Removes a VM record (its config file is gone). */
export function removeVm(state: SimState, vmid: number): void {
  delete qemuSlice(state).vms[String(vmid)];
}

/**
 * PVE's `check_vmid_unused` over the cluster's vmlist (VMs and containers):
 * `VM 100 already exists on node 'pve1'`, or `CT 100 …` when a container has the id.
 */
export function assertVmidUnused(state: SimState, vmid: number): void {
  const vm = findVm(state, vmid);
  if (vm) throw new PveError(500, `VM ${vmid} already exists on node '${vm.node}'`);
  // the lxc family owns this slice (sim/lxc/ct-store.ts); only its node is read here
  const ct = own(state.slice<{ cts: Record<string, { node: string }> }>("lxc", () => ({ cts: {} })).cts, String(vmid));
  if (ct) throw new PveError(500, `CT ${vmid} already exists on node '${ct.node}'`);
}

/** PVE's `check_lock`: `VM is locked (clone)` when the config carries a lock. */
export function checkLock(vm: VmRecord): void {
  if (vm.conf.lock) throw new PveError(500, `VM is locked (${vm.conf.lock})`);
}

/** Whether the VM is a template. */
export function isTemplate(vm: VmRecord): boolean {
  return vm.conf.template === "1";
}

/** Whether the VM's QEMU process runs (also when paused). */
export function isRunning(vm: VmRecord): boolean {
  return vm.run !== "stopped";
}

/**
 * The config file text as PVE writes it (description as `#` comments, then sorted `key: value`
 * lines); its SHA-1 is the `digest` the API reports and checks.
 */
export function configText(conf: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  if (conf.description !== undefined) {
    for (const line of conf.description.split("\n")) lines.push(`#${line}`);
  }
  for (const key of Object.keys(conf).sort()) if (key !== "description") lines.push(`${key}: ${conf[key]}`);
  return `${lines.join("\n")}\n`;
}

/** The config digest (SHA-1 of the config file). */
export function configDigest(conf: Readonly<Record<string, string>>): string {
  return createHash("sha1").update(configText(conf)).digest("hex");
}
