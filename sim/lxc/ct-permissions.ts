import { authId } from "../access-model";
import type { SimContext } from "../context";
import { requirePrivs } from "../permission-check";
import { PveError } from "../pve-error";
import { checkVmPerm, checkVnetAccess, checkVolumeAccess } from "../qemu/vm-permissions";
import type { ApiRequest } from "../route";
import { isMountKey, newDiskRequest, parseCtNet, parseFeatures, parseMountPoint } from "./ct-options";

type Req = Pick<ApiRequest, "auth">;
type Sim = Pick<SimContext, "state">;

/** PVE's `raise_perm_exc` with a reason: HTTP 403 `Permission check failed (<reason>)`. */
function permExc(reason: string): PveError {
  return new PveError(403, `Permission check failed (${reason})`);
}

/** pve-container's `check_bridge_access` for one `netN` value. */
function checkCtBridgeAccess(req: Req, sim: Sim, key: string, value: string | undefined): void {
  if (!value) return;
  const net = parseCtNet(key, value);
  if (net.bridge) checkVnetAccess(req, sim, net.bridge, net.tag);
}

/** Which feature changes a request makes: only `nesting`, or anything else. */
function featureChange(old: string | undefined, next: string | undefined, deleting: boolean): { nesting: boolean; other: boolean } {
  const only = (f: Record<string, string>) => {
    const keys = Object.keys(f);
    return { nesting: keys.length === 1 && keys[0] === "nesting", other: keys.length > 0 && !(keys.length === 1 && keys[0] === "nesting") };
  };
  if (deleting) return only(parseFeatures(old));
  const features = parseFeatures(next);
  if (!old) return only(features);
  const before = parseFeatures(old);
  let nesting = false;
  for (const f of new Set([...Object.keys(before), ...Object.keys(features)])) {
    if ((before[f] ?? "") === (features[f] ?? "")) continue;
    if (f !== "nesting") return { nesting, other: true };
    nesting = true;
  }
  return { nesting, other: false };
}

/**
 * pve-container's `check_ct_modify_config_perm` (`src/PVE/LXC.pm`): root@pam may do anything; for
 * others each option set or deleted needs its privilege on `/vms/<vmid>` (or the pool) —
 * `VM.Config.CPU`, `.Disk` (plus `Datastore.AllocateSpace` for new volumes), `.Memory`,
 * `.Network` (plus `SDN.Use` on the bridge), `.Options` — and some are root-only: bind/device
 * mount points, `devN`, `hookscript`, feature flags of a privileged container, every feature but
 * `nesting` (which needs `VM.Allocate`).
 */
export function checkCtModifyConfigPerm(
  req: Req,
  sim: Sim,
  vmid: number,
  pool: string | undefined,
  oldConf: Readonly<Record<string, string>> | undefined,
  newConf: Readonly<Record<string, string>>,
  deletes: readonly string[],
  unprivileged: boolean,
): void {
  if (authId(req.auth) === "root@pam") return;
  const check = (opt: string, deleting: boolean): void => {
    if (opt === "cores" || opt === "cpuunits" || opt === "cpulimit") {
      checkVmPerm(req, sim, vmid, pool, ["VM.Config.CPU"]);
    } else if (isMountKey(opt)) {
      checkVmPerm(req, sim, vmid, pool, ["VM.Config.Disk"]);
      if (deleting) return;
      const mp = parseMountPoint(opt, newConf[opt]);
      if (mp.type !== "volume") throw permExc(`mount point type ${mp.type} is only allowed for root@pam`);
      const fresh = newDiskRequest(mp.volume);
      if (fresh) requirePrivs(req, sim, `/storage/${fresh.storeid}`, ["Datastore.AllocateSpace"]);
      else checkVolumeAccess(req, sim, vmid, mp.volume);
    } else if (opt === "memory" || opt === "swap") {
      checkVmPerm(req, sim, vmid, pool, ["VM.Config.Memory"]);
    } else if (/^net\d+$/.test(opt)) {
      checkVmPerm(req, sim, vmid, pool, ["VM.Config.Network"]);
      checkCtBridgeAccess(req, sim, opt, oldConf?.[opt]);
      checkCtBridgeAccess(req, sim, opt, newConf[opt]);
    } else if (/^dev\d+$/.test(opt)) {
      throw permExc("configuring device passthrough is only allowed for root@pam");
    } else if (opt === "nameserver" || opt === "searchdomain" || opt === "hostname") {
      checkVmPerm(req, sim, vmid, pool, ["VM.Config.Network"]);
    } else if (opt === "features") {
      if (!unprivileged) throw permExc("changing feature flags for privileged container is only allowed for root@pam");
      const change = featureChange(oldConf?.features, newConf.features, deleting);
      if (change.other) throw permExc("changing feature flags (except nesting) is only allowed for root@pam");
      if (change.nesting) checkVmPerm(req, sim, vmid, pool, ["VM.Allocate"]);
    } else if (opt === "hookscript") {
      throw permExc("changing the hookscript is only allowed for root@pam");
    } else {
      // tags: assert_tag_permissions with the default tag style needs VM.Config.Options too
      checkVmPerm(req, sim, vmid, pool, ["VM.Config.Options"]);
    }
  };
  for (const opt of Object.keys(newConf)) check(opt, false);
  for (const opt of deletes) check(opt, true);
}
