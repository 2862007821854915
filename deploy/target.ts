import * as fs from "fs";
import * as path from "path";
import { SSH_NODES_VARIABLE } from "../constructs/node-ssh";
import { RunningSimulator, startSimulator } from "../sim";

/** Where an environment is deployed: a real Proxmox VE, or the embedded simulator. */
export interface Target {
  /** Environment for terraform: the provider's own variables. */
  readonly env: Readonly<Record<string, string>>;
  /** Human description (never contains a secret). */
  readonly description: string;
  /** True when the embedded simulator serves this run. */
  readonly simulated: boolean;
  /** Stops the embedded simulator, if any. */
  stop(): Promise<void>;
}

/** Options of {@link resolveTarget}. */
export interface TargetOptions {
  /** Project root; the simulator state lives in `<root>/.state/sim/`. */
  readonly root: string;
  /** Environment to read PROXMOX_VE_* from. @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
}

/** File the embedded simulator keeps its state in, so a second run sees the first run's VMs. */
export function simulatorStateFile(root: string): string {
  return path.join(root, ".state", "sim", "state.json");
}

/**
 * With `PROXMOX_VE_ENDPOINT` set, targets that Proxmox VE with the provider's own variables
 * (credentials stay in the environment). Without it, starts the embedded PVE API simulator on
 * 127.0.0.1 with its state on disk.
 */
export async function resolveTarget(opts: TargetOptions): Promise<Target> {
  const e = opts.environment ?? process.env;
  if (e.PROXMOX_VE_ENDPOINT) {
    return {
      env: {},
      description: `Proxmox VE at ${e.PROXMOX_VE_ENDPOINT}`,
      simulated: false,
      stop: async () => undefined,
    };
  }
  const sim: RunningSimulator = await startSimulator({ stateFile: simulatorStateFile(opts.root) });
  // The provider records SSH host keys in $HOME/.ssh/known_hosts; the simulator's ports change per
  // run, so its keys live in a home of their own instead of the user's file.
  const home = path.join(path.dirname(simulatorStateFile(opts.root)), "home");
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  return {
    env: {
      PROXMOX_VE_ENDPOINT: sim.endpoint,
      PROXMOX_VE_API_TOKEN: sim.apiToken,
      PROXMOX_VE_INSECURE: "false",
      SSL_CERT_FILE: sim.caCertPath,
      PROXMOX_VE_SSH_USERNAME: sim.ssh.username,
      PROXMOX_VE_SSH_PASSWORD: sim.ssh.password,
      [`TF_VAR_${SSH_NODES_VARIABLE}`]: JSON.stringify(sim.ssh.nodes),
      HOME: home,
    },
    description: `embedded PVE simulator at ${sim.endpoint} (state ${path.relative(opts.root, simulatorStateFile(opts.root))})`,
    simulated: true,
    stop: () => sim.stop(),
  };
}
