import { runSimCli } from "../../sim/cli";
import { Command } from "../command";

/** `proxmox-cdk sim`: serve the PVE API simulator. */
export const simCommand: Command = {
  name: "sim",
  summary: "serve the Proxmox VE API simulator on 127.0.0.1",
  help: "Usage: proxmox-cdk sim [--port 8006] [--nodes pve1,pve2,pve3] [--state FILE] [--latency clone=2s,…] [--faults SPEC] [--seed N]\n(run `proxmox-cdk sim --help` for details)",
  async run(_args, raw) {
    // The simulator parses its own flags (so `proxmox-cdk sim --help` shows its full help).
    return runSimCli(raw);
  },
};
