import { parameterError, PveError } from "../pve-error";
import { addUnusedVolume, uniqueTags } from "../qemu/vm-conf";
import type { SimState } from "../sim-state";
import { tryParseVolumeId } from "../storage/volumes";
import { assertRootdirStorage, createCtDisks, destroyCtDisks } from "./ct-disks";
import { ctStoredValue, isMountKey, newDiskRequest, normaliseCtNet, parseCtNet, parseMountPoint } from "./ct-options";
import { checkCtProtection, CtRecord, isCtRunning } from "./ct-store";

/**
 * pve-container's `update_pct_config` (`src/PVE/LXC/Config.pm`): validates a change, queues it in
 * `[pve:pending]`, then applies it — every option at once on a stopped container
 * (`vmconfig_apply_pending`), only the hot-pluggable ones on a running one
 * (`vmconfig_hotplug_pending`: `$LXC_FASTPLUG_OPTIONS`, memory/swap, CPU limits, NICs, new mount
 * points). What is left stays pending until the next start.
 */

/** Options a running container takes over at once (`$LXC_FASTPLUG_OPTIONS`). */
const FASTPLUG = new Set(["description", "onboot", "startup", "protection", "hostname", "hookscript", "cores", "tags", "lock"]);
/** Options `vmconfig_hotplug_pending` changes on a running container (cgroup limits, veth). */
const HOTPLUG = /^(memory|swap|cpulimit|cpuunits|net\d+)$/;
/** Deletions `vmconfig_hotplug_pending` applies on a running container. */
const HOTPLUG_DELETE = /^(swap|cpulimit|cpuunits|net\d+|unused\d+)$/;

/** One config change: values to set (as sent) and options to delete. */
export interface CtChange {
  readonly set: Record<string, string>;
  readonly delete: readonly string[];
}

/**
 * The checks `update_pct_config` makes before it touches the config, with PVE's messages:
 * required and read-only options, protection of mount points, storages allowing `rootdir`,
 * property strings that parse. Normalises the values to set (booleans `1`/`0`, tags sorted).
 * Returns the deletions that apply (PVE warns and skips options that are not set).
 */
export function checkCtChange(state: SimState, ct: CtRecord, change: CtChange): string[] {
  const deletes: string[] = [];
  for (const opt of change.delete) {
    if (ct.conf[opt] === undefined && ct.pending?.[opt] === undefined) continue;
    if (opt === "memory" || opt === "rootfs" || opt === "ostype") throw new PveError(500, `unable to delete required option '${opt}'`);
    if (/^(unused|mp)\d+$/.test(opt)) checkCtProtection(ct, `can't remove CT ${ct.vmid} drive '${opt}'`);
    if (opt === "unprivileged") throw new PveError(500, `unable to delete read-only option: '${opt}'`);
    deletes.push(opt);
  }
  for (const opt of Object.keys(change.set).sort()) {
    const value = change.set[opt];
    if (isMountKey(opt)) {
      checkCtProtection(ct, `can't update CT ${ct.vmid} drive '${opt}'`);
      const mp = parseOrFail(opt, () => parseMountPoint(opt, value));
      if (mp.type === "volume") {
        const storeid = newDiskRequest(mp.volume)?.storeid ?? tryParseVolumeId(mp.volume)?.storeid;
        if (storeid) assertRootdirStorage(state, storeid, ct.node);
      }
    } else if (opt === "unprivileged") {
      throw new PveError(500, `unable to modify read-only option: '${opt}'`);
    } else if (opt === "tags") {
      change.set[opt] = uniqueTags(value);
    } else if (/^net\d+$/.test(opt)) {
      parseOrFail(opt, () => parseCtNet(opt, value));
    } else {
      change.set[opt] = parseOrFail(opt, () => ctStoredValue(opt, value));
    }
  }
  return deletes;
}

function parseOrFail<T>(opt: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw parameterError({ [opt]: (e as Error).message });
  }
}

/**
 * Queues the change in `[pve:pending]` and applies what the container's power state allows.
 * `random` draws MAC addresses for NICs without one.
 */
export function applyCtChange(state: SimState, ct: CtRecord, set: Readonly<Record<string, string>>, deletes: readonly string[], random: () => number): void {
  const pending = (ct.pending ??= {});
  const queued = new Set(ct.pendingDelete ?? []);
  for (const opt of deletes) queued.add(opt);
  for (const [opt, value] of Object.entries(set)) {
    pending[opt] = value;
    queued.delete(opt);
  }
  ct.pendingDelete = [...queued];
  const running = isCtRunning(ct);
  const selection = new Set([...Object.keys(set), ...deletes]);
  for (const opt of [...ct.pendingDelete].sort()) {
    if (!selection.has(opt)) continue;
    if (running && !FASTPLUG.has(opt) && !HOTPLUG_DELETE.test(opt)) continue;
    applyDelete(state, ct, opt);
  }
  for (const opt of Object.keys(pending).sort()) {
    if (!selection.has(opt)) continue;
    if (running && !FASTPLUG.has(opt) && !HOTPLUG.test(opt) && !(/^mp\d+$/.test(opt) && ct.conf[opt] === undefined)) continue;
    applySet(state, ct, opt, random);
  }
  tidyPending(ct);
}

/** PVE's `vmconfig_apply_pending` on start: every queued change. */
export function applyAllPending(state: SimState, ct: CtRecord, random: () => number): void {
  for (const opt of [...(ct.pendingDelete ?? [])].sort()) applyDelete(state, ct, opt);
  for (const opt of Object.keys(ct.pending ?? {}).sort()) applySet(state, ct, opt, random);
  tidyPending(ct);
}

function tidyPending(ct: CtRecord): void {
  if (ct.pending && Object.keys(ct.pending).length === 0) delete ct.pending;
  if (ct.pendingDelete && ct.pendingDelete.length === 0) delete ct.pendingDelete;
}

function applyDelete(state: SimState, ct: CtRecord, opt: string): void {
  const old = ct.conf[opt];
  if (/^mp\d+$/.test(opt) && old !== undefined) {
    const mp = parseMountPoint(opt, old);
    if (mp.type === "volume") addUnusedVolume(ct.conf, mp.volume);
  } else if (/^unused\d+$/.test(opt) && old !== undefined) {
    destroyCtDisks(state, ct.node, [old]);
  }
  delete ct.conf[opt];
  ct.pendingDelete = (ct.pendingDelete ?? []).filter((o) => o !== opt);
}

function applySet(state: SimState, ct: CtRecord, opt: string, random: () => number): void {
  const pending = ct.pending ?? {};
  let value = pending[opt];
  if (/^net\d+$/.test(opt)) {
    value = normaliseCtNet(opt, value, random);
  } else if (/^mp\d+$/.test(opt)) {
    value = createCtDisks(state, ct.node, ct.vmid, { [opt]: value }).options[opt];
    const old = ct.conf[opt];
    if (old !== undefined) {
      const mp = parseMountPoint(opt, old);
      if (mp.type === "volume" && !value.startsWith(`${mp.volume},`) && value !== mp.volume) addUnusedVolume(ct.conf, mp.volume);
    }
  }
  ct.conf[opt] = value;
  delete pending[opt];
}

/** The config as `GET …/config` shows it by default (`load_current_config`): pending values applied on top. */
export function currentView(ct: CtRecord, current: boolean): Record<string, string> {
  const conf: Record<string, string> = { ...ct.conf };
  if (current) return conf;
  Object.assign(conf, ct.pending ?? {});
  for (const opt of ct.pendingDelete ?? []) delete conf[opt];
  return conf;
}
