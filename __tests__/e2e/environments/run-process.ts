import { spawn } from "child_process";

/** Outcome of a finished child process. */
export interface ProcessResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string;
}

/**
 * Runs a command without blocking the event loop (a simulator serving in the test process keeps
 * answering) and resolves with its exit code and output whatever the code. Rejects when it cannot
 * start or exceeds `timeoutMs` (then it is killed).
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly timeoutMs: number },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      output += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      output += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`\`${command} ${args.join(" ")}\` in ${options.cwd} did not finish within ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`\`${command}\` could not start in ${options.cwd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, output });
    });
  });
}
