import * as path from "path";
import { loadEnvironment } from "../envspec";
import { connectionFromEnv, pveRequest } from "../pve/pve-client";
import type { Target } from "./target";

/**
 * Removes the cloud-init password of the environment's adopted VMs after `up` applied. The
 * hardened VM has no password (PVE-CI-001), but bpg/proxmox 0.111.1 never deletes one: it only
 * sends `cipassword` when the configuration has a password (vmGetCloudInitConfig) and suppresses the
 * masked `**********` it reads back, so a password set before the adoption would stay. One GET per
 * adopted VM; a PUT `delete=cipassword` where PVE still holds one. Returns the VMs changed.
 */
export async function removeAdoptedPasswords(root: string, envName: string, target: Target, log: (l: string) => void): Promise<string[]> {
  const spec = loadEnvironment(path.join(root, "environments", `${envName}.yaml`));
  const vms = Object.entries(spec.adopted ?? {}).filter(([, g]) => (g.kind ?? "vm") === "vm");
  if (vms.length === 0) return [];
  const conn = connectionFromEnv({ ...process.env, ...target.env });
  if (!conn) throw new Error("PROXMOX_VE_API_TOKEN is not set: the cloud-init passwords of adopted VMs cannot be removed.");
  const changed: string[] = [];
  for (const [name, g] of vms) {
    const base = `/nodes/${encodeURIComponent(g.node)}/qemu/${g.vmid}/config`;
    const config = await pveRequest<Record<string, unknown>>(conn, "GET", base);
    if (config.cipassword === undefined) continue;
    await pveRequest(conn, "PUT", base, { delete: "cipassword" });
    log(`Removed the cloud-init password of adopted VM ${name} (${g.vmid}): bpg/proxmox cannot remove one.`);
    changed.push(name);
  }
  return changed;
}
