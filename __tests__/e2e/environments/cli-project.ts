import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { RunningSimulator, startSimulator } from "../../../sim";
import { ProcessResult, runProcess } from "./run-process";

/** The repository (holds cli/, environments/ and the toolchain). */
export const REPO = path.resolve(__dirname, "..", "..", "..");
const CLI_MAIN = path.join(REPO, "cli", "main.ts");
// `node --import tsx` resolves "tsx" from the working directory, which is the temporary project:
// the loader is named by its file URL instead.
const TSX_LOADER = pathToFileURL(require.resolve("tsx")).href;

/** Variables a CLI run must not inherit from the test process: targets, backends, logs, secrets. */
const OWN_VARIABLES = /^(PROXMOX_VE_|PROXMOX_CDK_|PG_|PGPASSWORD$|SSL_CERT_FILE$|TF_LOG|TF_CLI_ARGS)/;

/** A throwaway project: an `environments/` folder the CLI finds from its working directory. */
export interface TempProject {
  readonly root: string;
  /** `<root>/.state/sim/state.json`, where the embedded simulator keeps its state. */
  readonly simStateFile: string;
  /** `<root>/.state/audit.log`. */
  readonly auditLog: string;
}

const projects: string[] = [];
// Registered when a test file imports this module: that file's projects go when it ends.
afterAll(() => projects.splice(0).forEach((p) => fs.rmSync(p, { recursive: true, force: true })));

/**
 * A fresh project in the temp folder with the given spec files (`{ "dev.yaml": text }`), or copies
 * of the repository's specs when given names (`["dev"]`).
 */
export function tempProject(specs: readonly string[] | Readonly<Record<string, string>>): TempProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cli-env-"));
  projects.push(root);
  fs.mkdirSync(path.join(root, "environments"));
  fs.mkdirSync(path.join(root, "tmp"));
  const files: Record<string, string> = Array.isArray(specs)
    ? Object.fromEntries((specs as readonly string[]).map((n) => [`${n}.yaml`, fs.readFileSync(path.join(REPO, "environments", `${n}.yaml`), "utf8")]))
    : { ...(specs as Readonly<Record<string, string>>) };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, "environments", name), text);
  return { root, simStateFile: path.join(root, ".state", "sim", "state.json"), auditLog: path.join(root, ".state", "audit.log") };
}

/**
 * Runs `node --import tsx cli/main.ts <args>` with the project as working directory, with none of
 * the test process's target, backend or log variables unless `env` sets them. The provider's
 * temporary files go to `<project>/tmp` so projects never share them.
 */
export function runCli(project: TempProject, args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 240_000): Promise<ProcessResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OWN_VARIABLES.test(k)));
  return runProcess(process.execPath, ["--import", TSX_LOADER, CLI_MAIN, ...args], {
    cwd: project.root,
    env: { ...inherited, TMPDIR: path.join(project.root, "tmp"), ...env },
    timeoutMs,
  });
}

/** The command line of `npm start` after `cli/main.ts` (package.json's "start" script). */
export function npmStartCliArgs(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start;
  const cliStep = start
    .split("&&")
    .map((s) => s.trim())
    .find((s) => /\bcli\/main\.ts\b/.test(s));
  if (!cliStep) throw new Error(`package.json "start" does not run cli/main.ts: ${start}`);
  return cliStep.split(/\s+/).slice(cliStep.split(/\s+/).indexOf("cli/main.ts") + 1);
}

/** The simulator state document as saved on disk. */

export type SimStateDocument = { format: string; version: number; slices: Record<string, any> };

/** Reads a simulator state file. */
export function readSimState(file: string): SimStateDocument {
  return JSON.parse(fs.readFileSync(file, "utf8")) as SimStateDocument;
}

/** Starts a simulator on a project's state file, runs `work`, stops it (never two on one file). */
export async function withSimulatorOn<T>(project: TempProject, work: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ stateFile: project.simStateFile });
  try {
    return await work(sim);
  } finally {
    await sim.stop();
  }
}

/** A simulator run as a target through the provider's variables (what a real PVE would get). */
export function targetVariables(sim: RunningSimulator): Record<string, string> {
  return { PROXMOX_VE_ENDPOINT: sim.endpoint, PROXMOX_VE_API_TOKEN: sim.apiToken, SSL_CERT_FILE: sim.caCertPath, PROXMOX_VE_INSECURE: "false" };
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Files under `dir` whose content contains `needle` (binary files included: providers are skipped by size). */
export function filesContaining(dir: string, needle: string, maxBytes = 32 * 1024 * 1024): string[] {
  return filesUnder(dir).filter((f) => fs.statSync(f).size <= maxBytes && fs.readFileSync(f).includes(needle));
}

/** The audit log's records, parsed (one JSON object per line). */
export function auditRecords(project: TempProject): Record<string, unknown>[] {
  if (!fs.existsSync(project.auditLog)) return [];
  return fs
    .readFileSync(project.auditLog, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
