import { spawn } from "child_process";

/** Outcome of a finished child process. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Working directory. @default process.cwd() */
  readonly cwd?: string;
  /** Variables added to process.env. @default {} */
  readonly env?: Record<string, string>;
}

/**
 * Runs a program without a shell (arguments are never re-parsed) and collects its output.
 * Asynchronous so that jest's timeouts stay effective during minutes-long steps like debootstrap.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new Error(`could not start ${command}: ${e.message}`)));
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Like {@link runCommand}, but throws with the command line and its output unless it exits 0. */
export async function runChecked(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`);
  }
  return result;
}

/** Last lines of a long output, enough to diagnose a failure without flooding the jest report. */
export function tail(text: string, lines = 60): string {
  return text.split("\n").slice(-lines).join("\n");
}
