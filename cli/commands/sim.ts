import type { Command } from "../command";

/** `proxmox-cdk sim`: serve the PVE API simulator. */
export const simCommand: Command = {
  name: "sim",
  summary: "serve the Proxmox VE API simulator on 127.0.0.1",
  args: {
    options: {
      port: { type: "string", valueName: "N", description: "TCP port on 127.0.0.1, 0 = any free port (default 8006)" },
      nodes: { type: "string", valueName: "A,B,C", description: "cluster node names (default pve1,pve2,pve3)" },
      state: { type: "string", valueName: "FILE", description: "save the state to FILE after every change and resume from it (TLS certificates in FILE.tls/)" },
      latency: { type: "string", valueName: "SPEC", description: "task durations, e.g. clone=2s,create=1s,start=500ms (* = every other task type)" },
      faults: {
        type: "string",
        valueName: "SPEC",
        description: "inject faults: TARGET=EFFECT[@RATE],… e.g. POST:/nodes/*/qemu/*/clone=500@0.3,task:qmclone=fail",
      },
      seed: { type: "string", valueName: "N", description: "seed for faults and generated values (default 1)" },
      json: { type: "boolean", description: "print the connection details as one JSON line instead of text" },
      verbose: { type: "boolean", description: "log every request to stderr" },
    },
  },
  description: `Runs a Proxmox VE API simulator on https://127.0.0.1 (TLS 1.3) for the bpg/proxmox provider.
Prints the endpoint, a root API token and the CA certificate, then serves until SIGINT/SIGTERM.
GET /version answers with PVE's fields and "simulator": clients tell it from a real cluster by it.
The --latency and --faults syntax is described in docs/simulator.md.

Use with terraform:
  export PROXMOX_VE_ENDPOINT=<endpoint> PROXMOX_VE_API_TOKEN=<token>
  export SSL_CERT_FILE=<ca certificate>      # or PROXMOX_VE_INSECURE=true`,
  async run(_args, raw) {
    // The declaration above has already rejected unknown options; the simulator reads the values.
    const { runSimCli } = require("../../sim/cli") as typeof import("../../sim/cli");
    const code = await runSimCli(raw);
    // sim/cli answers a bad value (e.g. --port abc) with 2, its own usage code: ours is 64.
    return code === 2 ? 64 : code;
  },
};
