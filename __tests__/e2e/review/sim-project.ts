import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Target } from "../../../deploy/target";
import { runProcess } from "../../../io/run-process";
import type { RunningSimulator } from "../../../sim";

/** Repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The CLI entry point as users run it (`proxmox-cdk` → tsx in a clone). */
export const CLI_BIN = path.join(REPO_ROOT, "bin", "proxmox-cdk.js");

/** The target resolveTarget builds for the embedded simulator, for one the test already runs, with `variables` (`TF_VAR_*`) for terraform. */
export function simulatorTarget(sim: RunningSimulator, variables: Readonly<Record<string, string>> = {}): Target {
  return {
    env: { PROXMOX_VE_ENDPOINT: sim.endpoint, PROXMOX_VE_API_TOKEN: sim.apiToken, PROXMOX_VE_INSECURE: "false", SSL_CERT_FILE: sim.caCertPath, ...variables },
    description: "test simulator",
    simulated: true,
    stop: () => Promise.resolve(),
  };
}

/** The variables the shipped prod needs: its encrypted PBS backup target's password (TF_VAR_pbs_password). */
export const PROD_VARIABLES: Readonly<Record<string, string>> = { TF_VAR_pbs_password: "pbs-secret-from-the-environment" };

/**
 * A throwaway project: `environments/<name>.yaml` for each entry of `specs` (file text), nothing
 * else. The caller removes it with {@link removeProject}.
 */
export function tempProject(prefix: string, specs: Readonly<Record<string, string>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  fs.mkdirSync(path.join(root, "environments"));
  for (const [name, text] of Object.entries(specs)) fs.writeFileSync(path.join(root, "environments", `${name}.yaml`), text);
  return root;
}

/** Deletes a project made by {@link tempProject}. */
export function removeProject(root: string | undefined): void {
  if (root) fs.rmSync(root, { recursive: true, force: true });
}

/** The text of one of the repository's environment specs. */
export function repoSpec(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, "environments", `${name}.yaml`), "utf8");
}

/** A finished child process. */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `proxmox-cdk <args>` as a child process in `cwd`, pointed at the simulator through the
 * provider's own variables (as a user targeting a real Proxmox VE would), with the toolchain
 * environment jest's setup file put into process.env. Asynchronous: the simulator in this process
 * keeps answering.
 */
export function runCli(args: readonly string[], opts: { cwd: string; sim: RunningSimulator; env?: Record<string, string> }): Promise<CliResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PROXMOX_VE_") && !k.startsWith("TF_LOG")));
  const env = {
    ...inherited,
    PROXMOX_VE_ENDPOINT: opts.sim.endpoint,
    PROXMOX_VE_API_TOKEN: opts.sim.apiToken,
    PROXMOX_VE_INSECURE: "false",
    SSL_CERT_FILE: opts.sim.caCertPath,
    ...(opts.env ?? {}),
  };
  return runProcess(process.execPath, [CLI_BIN, ...args], { cwd: opts.cwd, env });
}
