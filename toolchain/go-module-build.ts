import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** True when a Go toolchain runs on this machine. */
export function goAvailable(): boolean {
  const res = spawnSync("go", ["version"], { encoding: "utf8" });
  return !res.error && res.status === 0;
}

/** Runs a go command, printing progress every 10 s (builds take minutes); resolves to stdout. */
function runGo(args: string[], opts: { cwd?: string; log: (line: string) => void; label: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let lines = 0;
    const started = Date.now();
    const tick = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      opts.log(`  ${opts.label}: ${s}s elapsed, ${lines} packages so far…`);
    }, 10_000);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      const text = c.toString();
      stderr += text;
      lines += text.split("\n").filter(Boolean).length;
    });
    child.on("error", (e) => {
      clearInterval(tick);
      reject(e);
    });
    child.on("close", (code) => {
      clearInterval(tick);
      if (code === 0) resolve(stdout);
      else reject(new Error(`go ${args.join(" ")} failed (exit ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

/** What to build from a Go module. */
export interface GoModuleBuild {
  /** `module@version`, fetched through the Go module proxy. */
  readonly ref: string;
  /** Package inside the module, e.g. `.` or `./cmd/tofu`. */
  readonly pkg: string;
  /** Where the binary goes. */
  readonly out: string;
  /** `-ldflags` value. @default "-s -w" */
  readonly ldflags?: string;
  /** Human name for progress lines. */
  readonly label: string;
}

/**
 * `go mod download` + `go build` of a module at a pinned version (`go install pkg@version` is not
 * used: the proxy refuses bpg/proxmox's version list). The binary is built under a temporary name
 * and renamed, so an interrupted build never leaves a half file.
 */
export async function buildGoModule(build: GoModuleBuild, log: (line: string) => void): Promise<void> {
  log(`Downloading ${build.ref} through the Go module proxy…`);
  const info = JSON.parse(await runGo(["mod", "download", "-json", build.ref], { log, label: "go mod download" })) as { Dir?: unknown };
  const dir = info.Dir;
  if (typeof dir !== "string" || !dir) throw new Error(`go mod download ${build.ref} returned no source directory: ${JSON.stringify(info)}`);
  fs.mkdirSync(path.dirname(build.out), { recursive: true });
  const tmp = `${build.out}.tmp-${process.pid}`;
  log(`Building ${build.label} (takes a few minutes on 2 cores)…`);
  await runGo(["build", "-v", "-trimpath", "-ldflags", build.ldflags ?? "-s -w", "-o", tmp, build.pkg], {
    cwd: dir,
    log,
    label: "go build",
  });
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, build.out);
}
