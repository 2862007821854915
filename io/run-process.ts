import { spawn } from "child_process";

/** Outcome of a finished child process. */
export interface ProcessResult {
  /** Exit code; 128 when a signal ended the process. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly cwd: string;
  /** The complete environment of the child (nothing is inherited beyond it). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Time limit in milliseconds: the child is killed (SIGKILL) and the call rejects with its output.
   * @default no limit
   */
  readonly timeoutMs?: number;
  /** Called with each chunk of stdout as it arrives (progress). @default none */
  readonly onStdout?: (text: string) => void;
}

/**
 * Runs a command without blocking the event loop (so a server in the same process, such as the
 * simulator, keeps answering) and resolves with its exit code and output whatever the code.
 * Rejects only when it cannot start or exceeds the time limit.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      output += text;
      options.onStdout?.(text);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      output += d.toString();
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
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
