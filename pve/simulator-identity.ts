/**
 * The simulator's name from the data of `GET /version`, or undefined for a real Proxmox VE. The
 * proxmox-cdk simulator adds a `simulator` field next to PVE's own (release, version, repoid).
 */
export function simulatorName(versionData: unknown): string | undefined {
  const v = (versionData ?? {}) as { simulator?: unknown };
  return typeof v.simulator === "string" && v.simulator !== "" ? v.simulator : undefined;
}
