import type { OptionSpecs } from "./args";

/** `--sim`: the explicit choice of the embedded simulator, for commands that resolve a target. */
export const TARGET_OPTIONS: OptionSpecs = {
  sim: { type: "boolean", description: "use the embedded PVE simulator (needed for non-dev environments when PROXMOX_VE_ENDPOINT is unset)" },
};
