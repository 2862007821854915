import { connectionFromEnv, PveConnection } from "../pve/pve-client";
import { resolveTarget, Target } from "./target";

/**
 * The target `scan` and `import` read (the simulator with --sim, else PROXMOX_VE_ENDPOINT) and the
 * API connection to it with the read-only token in PROXMOX_VE_API_TOKEN. The caller stops the target.
 */
export async function readOnlyTarget(root: string, sim: boolean): Promise<{ target: Target; conn: PveConnection }> {
  const target = await resolveTarget({ root, sim });
  const conn = connectionFromEnv(target.simulated ? target.env : process.env);
  if (!conn) {
    await target.stop();
    throw new Error("PROXMOX_VE_ENDPOINT is set but PROXMOX_VE_API_TOKEN is not: set it to a token (user@realm!name=secret) with the PVEAuditor role on /.");
  }
  return { target, conn };
}
