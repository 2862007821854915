import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { accessState } from "../../../sim/access-model";
import { startSimulator } from "../../../sim/index";
import { SimState } from "../../../sim/sim-state";
import { loadStateFile, saveStateFile } from "../../../sim/state-file";
import type { PveTarget } from "../../e2e/harness/pve-client";

const ROOT = path.resolve(__dirname, "../../..");

/** A simulator in a child process, and where to call it. */
export interface SimProcess {
  readonly child: ChildProcess;
  readonly target: PveTarget & { readonly apiToken: string };
}

/**
 * Starts `sim/cli.ts --state FILE --port 0 --json` under tsx and reads its connection line.
 * `node --import tsx` rather than the `tsx` binary: the binary forks the real process, and
 * SIGKILL would hit only the wrapper. The caller kills the child.
 */
export async function startSimProcess(stateFile: string): Promise<SimProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "sim/cli.ts", "--state", stateFile, "--port", "0", "--json"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}: ${stderr}`)));
  });
  return { child, target: JSON.parse(first) };
}

/** Writes a fresh state of several MB (2000 users with long fields), so every save is a long write. */
export async function writeLargeState(stateFile: string): Promise<void> {
  const seed = await startSimulator({ stateFile });
  await seed.stop();
  const state = new SimState(loadStateFile(stateFile));
  const users = accessState(state).users;
  const long = { comment: "c".repeat(2048), firstname: "f".repeat(1024), lastname: "l".repeat(1024) };
  for (let i = 0; i < 2000; i++) users[`big${i}@pve`] = { enable: 1, expire: 0, groups: [], tokens: {}, ...long };
  saveStateFile(stateFile, state);
}
