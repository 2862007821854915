import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { publishSynthesis } from "../io/publish-synthesis";
import { runProcess } from "../io/run-process";
import { redact } from "./audit-log";
import { ManifestStack, readAppManifest, selectStack, stackErrors } from "./app-manifest";

/** A user's cdktf app: the command that synthesises it and where (cdktf.json or `--app`). */
export interface CdktfApp {
  /** Project folder: the app command runs here and relative backend paths resolve from here. */
  readonly dir: string;
  /** The shell command that synthesises the app (`npx ts-node main.ts`), run as cdktf runs it. */
  readonly command: string;
  /** Where the synthesis is published (cdktf.json `output`, default `cdktf.out`), absolute. */
  readonly outdir: string;
  /** Where the command came from, for messages: `cdktf.json` or `--app`. */
  readonly origin: string;
}

/** cdktf's default output folder. */
const DEFAULT_OUTPUT = "cdktf.out";

/**
 * The app in `dir`: `--app` when given, else `cdktf.json`'s `app`; the output folder is
 * `cdktf.json`'s `output` (default `cdktf.out`). Undefined when there is neither.
 */
export function findCdktfApp(dir: string, appFlag?: string): CdktfApp | undefined {
  const configFile = path.join(dir, "cdktf.json");
  let config: Record<string, unknown> = {};
  if (fs.existsSync(configFile)) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(configFile, "utf8"));
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
      else throw new Error("not an object");
    } catch (e) {
      throw new Error(`${configFile} is not a JSON object (${(e as Error).message}): fix it, or pass the app command with --app.`);
    }
  } else if (appFlag === undefined) return undefined;
  const output = config.output ?? DEFAULT_OUTPUT;
  if (typeof output !== "string" || output.trim() === "") throw new Error(`${configFile}: "output" must be a folder name, got ${JSON.stringify(output)}.`);
  if (appFlag !== undefined) {
    if (appFlag.trim() === "") throw new Error('--app needs a command, e.g. --app "npx ts-node main.ts".');
    return { dir, command: appFlag, outdir: path.resolve(dir, output), origin: "--app" };
  }
  if (typeof config.app !== "string" || config.app.trim() === "") {
    throw new Error(`${configFile} has no "app" command: add one (e.g. "app": "npx ts-node main.ts") or pass it with --app.`);
  }
  return { dir, command: config.app, outdir: path.resolve(dir, output), origin: "cdktf.json" };
}

/** Options of {@link synthAppStack}. */
export interface SynthAppOptions {
  /** `--stack`: the stack to work on. @default the app's only stack */
  readonly stack?: string;
  /** Keep going when the stack carries error annotations (the review shows them). @default false */
  readonly allowErrors?: boolean;
  /** Time limit of the app command in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
}

/**
 * Synthesises the app the way `cdktf synth` does — its command through a shell in the project
 * folder, with CDKTF_OUTDIR naming the output folder and CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS
 * set so that errors land in the manifest, without TF_VAR_* (run-time input, not synth input) —
 * but into a private temporary folder, published into the app's output folder only when it
 * succeeded (as `synthEnvironment` does). Terraform then runs in `<output>/stacks/<name>`, exactly
 * where cdktf runs it, so a backend path relative to it means what it means to cdktf.
 * Throws, naming the stacks there are, when the stack is missing or ambiguous, and lists the
 * stack's error annotations unless `allowErrors`.
 */
export async function synthAppStack(app: CdktfApp, opts: SynthAppOptions = {}): Promise<ManifestStack> {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "proxmox-cdk-app-"));
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TF_VAR_")));
    const [shell, shellArgs] = process.platform === "win32" ? [process.env.ComSpec ?? "cmd.exe", ["/d", "/s", "/c"]] : ["/bin/sh", ["-c"]];
    const res = await runProcess(shell, [...shellArgs, app.command], {
      cwd: app.dir,
      env: { ...env, CDKTF_OUTDIR: staging, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true" },
      timeoutMs: opts.timeoutMs ?? 600_000,
    });
    if (res.exitCode !== 0) {
      const tail = redact(res.output).split("\n").slice(-40).join("\n");
      throw new Error(`the app command (${app.origin}) failed with exit ${res.exitCode} in ${app.dir}:\n${tail}`);
    }
    const stack = selectStack(readAppManifest(staging), opts.stack);
    const errors = stackErrors(stack);
    if (errors.length && !opts.allowErrors)
      throw new Error(`stack "${stack.name}" has ${errors.length} error(s); fix them first:\n${errors.map((e) => `  ${e}`).join("\n")}`);
    publishSynthesis(staging, app.outdir);
    return { ...stack, workdir: path.join(app.outdir, path.relative(staging, stack.workdir)) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
