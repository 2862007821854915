import { createHash } from "crypto";
import { own } from "../dict";
import { doesNotExist, PveError } from "../pve-error";
import type { SimState } from "../sim-state";

/** One LXC container as the simulator keeps it: its config file (with pending changes) and its runtime state. */
export interface CtRecord {
  vmid: number;
  /** Node whose `lxc/<vmid>.conf` holds the config. */
  node: string;
  /** The config file's options, as the strings written there (`memory: 512` → `"512"`). */
  conf: Record<string, string>;
  /** The `[pve:pending]` section: changes PVE could not apply to the running container. */
  pending?: Record<string, string>;
  /** Options queued for deletion in `[pve:pending]` (`delete: …`). */
  pendingDelete?: string[];
  /** Runtime: `running` or `stopped`. */
  run: "running" | "stopped";
  /** Start time of the running container, ms since the epoch. */
  startedAt?: number;
  /** Simulated init process id of a running container. */
  pid?: number;
}

/** The lxc slice: every container of the cluster by id. */
export interface LxcSlice {
  cts: Record<string, CtRecord>;
}

/** The lxc slice of the state. */
export function lxcSlice(state: SimState): LxcSlice {
  return state.slice<LxcSlice>("lxc", () => ({ cts: {} }));
}

/** Every container, sorted by id. */
export function allCts(state: SimState): CtRecord[] {
  return Object.values(lxcSlice(state).cts).sort((a, b) => a.vmid - b.vmid);
}

/** A container anywhere in the cluster (its config as PVE reads the file back), or undefined. */
export function findCt(state: SimState, vmid: number): CtRecord | undefined {
  const ct = own(lxcSlice(state).cts, String(vmid));
  if (ct) {
    readBackDescription(ct.conf);
    if (ct.pending) readBackDescription(ct.pending);
  }
  return ct;
}

/**
 * What a description looks like after pve-container wrote and re-read the config:
 * `write_pct_config` writes `$conf->{description} || ''` split on newlines (Perl's `split`, which
 * drops trailing empty fields) as `#` comment lines, and `parse_pct_config` appends `"\n"` to every
 * comment line it reads. So `"web"` reads back as `"web\n"`, and `""` or `"0"` disappear.
 */
export function readBackDescription(conf: Record<string, string>): void {
  const text = conf.description;
  if (text === undefined) return;
  const lines = text === "" || text === "0" ? [] : text.split("\n");
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) delete conf.description;
  else conf.description = lines.map((l) => `${l}\n`).join("");
}

/** PVE's config path of a container: `nodes/pve1/lxc/100.conf`. */
export function ctConfigPath(node: string, vmid: number): string {
  return `nodes/${node}/lxc/${vmid}.conf`;
}

/** PVE's `load_config` on `node`: the container, or `Configuration file 'nodes/<node>/lxc/<vmid>.conf' does not exist`. */
export function loadCt(state: SimState, node: string, vmid: number | string): CtRecord {
  const ct = findCt(state, Number(vmid));
  if (!ct || ct.node !== node) throw doesNotExist(`Configuration file '${ctConfigPath(node, Number(vmid))}' does not exist`);
  return ct;
}

/** Adds a container record (its config exists from now on). */
export function putCt(state: SimState, ct: CtRecord): void {
  lxcSlice(state).cts[String(ct.vmid)] = ct;
}

/** Removes a container record (its config file is gone). */
export function removeCt(state: SimState, vmid: number): void {
  delete lxcSlice(state).cts[String(vmid)];
}

/** PVE's `check_lock` for containers (`guest_type` is `CT`): `CT is locked (create)`. */
export function checkCtLock(ct: CtRecord): void {
  if (ct.conf.lock) throw new PveError(500, `CT is locked (${ct.conf.lock})`);
}

/** PVE's `check_protection`: `<prefix> - protection mode enabled`. */
export function checkCtProtection(ct: CtRecord, prefix: string): void {
  if (ct.conf.protection === "1") throw new PveError(500, `${prefix} - protection mode enabled`);
}

/** Whether the container is a template. */
export function isCtTemplate(ct: CtRecord): boolean {
  return ct.conf.template === "1";
}

/** Whether the container runs. */
export function isCtRunning(ct: CtRecord): boolean {
  return ct.run === "running";
}

function sectionText(conf: Readonly<Record<string, string>>, deletes?: readonly string[]): string {
  const lines: string[] = [];
  if (conf.description !== undefined) for (const line of conf.description.replace(/\n$/, "").split("\n")) lines.push(`#${line}`);
  const entries: Record<string, string> = { ...conf };
  if (deletes?.length) entries.delete = deletes.join(",");
  for (const key of Object.keys(entries).sort()) if (key !== "description") lines.push(`${key}: ${entries[key]}`);
  return `${lines.join("\n")}\n`;
}

/** The config file text as `write_pct_config` writes it (with the `[pve:pending]` section). */
export function ctConfigText(ct: CtRecord): string {
  let text = sectionText(ct.conf);
  if ((ct.pending && Object.keys(ct.pending).length) || ct.pendingDelete?.length) {
    text += `\n[pve:pending]\n${sectionText(ct.pending ?? {}, ct.pendingDelete)}`;
  }
  return text;
}

/** The config digest (SHA-1 of the config file), as `parse_pct_config` computes it. */
export function ctDigest(ct: CtRecord): string {
  return createHash("sha1").update(ctConfigText(ct)).digest("hex");
}

/** pve-container's `config_file_lock`: the container's config lock file (`lock_config` waits 10 s for it). */
export function ctLockPath(vmid: number): string {
  return `/run/lock/lxc/pve-config-${vmid}.lock`;
}
