import * as fs from "fs";
import * as path from "path";
import { SSH_NODES_VARIABLE } from "../constructs/node-ssh";
import { RunningSimulator, startSimulator } from "../sim";
import { loadEnvironment } from "../envspec";

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
  /**
   * Environment name: its stage (environments/<env>.yaml) decides whether the embedded simulator
   * may serve it without an explicit choice. @default unknown (the simulator needs an explicit choice)
   */
  readonly env?: string;
  /** `--sim`: the embedded simulator was chosen explicitly. @default false */
  readonly sim?: boolean;
  /** Environment to read PROXMOX_VE_* and PROXMOX_CDK_TARGET from. @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
}

/** Variable that chooses the embedded simulator in scripts (the `--sim` flag's twin). */
export const TARGET_ENV = "PROXMOX_CDK_TARGET";

/** File the embedded simulator keeps its state in, so a second run sees the first run's VMs. */
export function simulatorStateFile(root: string): string {
  return path.join(root, ".state", "sim", "state.json");
}

/** The environment's stage, or undefined when its spec cannot be read (synth reports that). */
function stageOf(root: string, env: string | undefined): string | undefined {
  if (!env) return undefined;
  const file = path.join(root, "environments", `${env}.yaml`);
  if (!fs.existsSync(file)) return undefined;
  return loadEnvironment(file).stage;
}

/**
 * Which target {@link resolveTarget} would use, without starting anything: `pve` (the endpoint in
 * PROXMOX_VE_ENDPOINT) or `sim` (the embedded simulator). Throws what resolveTarget throws.
 */
export function chooseTarget(opts: TargetOptions): { readonly kind: "pve"; readonly endpoint: string } | { readonly kind: "sim" } {
  const e = opts.environment ?? process.env;
  const choice = e[TARGET_ENV];
  if (choice !== undefined && choice !== "" && choice !== "sim") {
    throw new Error(`${TARGET_ENV}="${choice}" is not a target: the only value is "sim" (the embedded simulator); unset it to target PROXMOX_VE_ENDPOINT.`);
  }
  const explicitSim = opts.sim === true || choice === "sim";
  if (e.PROXMOX_VE_ENDPOINT) {
    if (explicitSim) {
      throw new Error(
        `${opts.sim ? "--sim" : `${TARGET_ENV}=sim`} asks for the embedded simulator but PROXMOX_VE_ENDPOINT is set (${e.PROXMOX_VE_ENDPOINT}): unset one of them.`,
      );
    }
    return { kind: "pve", endpoint: e.PROXMOX_VE_ENDPOINT };
  }
  const stage = stageOf(opts.root, opts.env);
  if (stage !== "dev" && !explicitSim) {
    const what = opts.env ? `environments/${opts.env}.yaml is stage "${stage ?? "unknown"}"` : "no dev-stage environment was named";
    throw new Error(
      `PROXMOX_VE_ENDPOINT is not set and ${what}: set PROXMOX_VE_ENDPOINT and PROXMOX_VE_API_TOKEN to target Proxmox VE, ` +
        `or choose the embedded simulator explicitly with --sim (${TARGET_ENV}=sim in scripts).`,
    );
  }
  return { kind: "sim" };
}

/**
 * With `PROXMOX_VE_ENDPOINT` set, targets that Proxmox VE with the provider's own variables
 * (credentials stay in the environment). Without it, the embedded PVE API simulator on 127.0.0.1
 * (state on disk) serves dev-stage environments, and any other only when chosen explicitly
 * (`--sim` or PROXMOX_CDK_TARGET=sim): a CI job that lost its endpoint must fail, not go green
 * against a simulator.
 */
export async function resolveTarget(opts: TargetOptions): Promise<Target> {
  const choice = chooseTarget(opts);
  if (choice.kind === "pve") {
    return {
      env: {},
      description: `Proxmox VE at ${choice.endpoint}`,
      simulated: false,
      stop: () => Promise.resolve(),
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
