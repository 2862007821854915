import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROVIDER_GO_MODULE, PROVIDER_HOSTS, PROVIDER_VERSION, ToolchainPaths, mirroredProviderBinary } from "./paths";

/** Printed when the provider can come neither from the registry nor from a Go build. */
export const NO_PROVIDER_HELP = [
  `Cannot obtain bpg/proxmox ${PROVIDER_VERSION}: the Terraform registry is not reachable and no Go toolchain was found.`,
  "Either give this machine access to registry.terraform.io, or install Go >= 1.24 (https://go.dev/dl/, or",
  "`apt-get install golang`) so that the provider is built from its Go module into .toolchain/mirror.",
].join("\n");

/** True when every mirrored copy of the provider is present. */
export function mirrorIsComplete(paths: ToolchainPaths): boolean {
  return PROVIDER_HOSTS.every((host) => {
    try {
      return fs.statSync(mirroredProviderBinary(paths, host)).size > 0;
    } catch {
      return false;
    }
  });
}

/** True when a Go toolchain runs on this machine. */
export function goAvailable(): boolean {
  const res = spawnSync("go", ["version"], { encoding: "utf8" });
  return !res.error && res.status === 0;
}

function run(cmd: string, args: string[], opts: { cwd?: string; log: (line: string) => void; label: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
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
      else reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

/**
 * Builds bpg/proxmox at the pinned version from its Go module (through the Go module proxy)
 * into the filesystem mirror, once per registry host Terraform or OpenTofu may ask for.
 * The binary is written to a temporary name and renamed, so an interrupted build leaves no half file.
 */
export async function buildProviderIntoMirror(paths: ToolchainPaths, log: (line: string) => void): Promise<void> {
  if (!goAvailable()) throw new Error(NO_PROVIDER_HELP);
  const ref = `${PROVIDER_GO_MODULE}@v${PROVIDER_VERSION}`;
  log(`Downloading ${ref} through the Go module proxy…`);
  const info = JSON.parse(await run("go", ["mod", "download", "-json", ref], { log, label: "go mod download" }));
  if (!info.Dir) throw new Error(`go mod download ${ref} returned no source directory: ${JSON.stringify(info)}`);

  const [first, ...others] = PROVIDER_HOSTS.map((host) => mirroredProviderBinary(paths, host));
  fs.mkdirSync(path.dirname(first), { recursive: true });
  const tmp = `${first}.tmp-${process.pid}`;
  log(`Building terraform-provider-proxmox v${PROVIDER_VERSION} (takes a few minutes on 2 cores)…`);
  await run(
    "go",
    ["build", "-v", "-trimpath", "-ldflags", `-s -w -X main.version=${PROVIDER_VERSION}`, "-o", tmp, "."],
    { cwd: info.Dir, log, label: "go build" },
  );
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, first);
  for (const other of others) {
    fs.mkdirSync(path.dirname(other), { recursive: true });
    const otherTmp = `${other}.tmp-${process.pid}`;
    try {
      fs.linkSync(first, otherTmp);
    } catch {
      fs.copyFileSync(first, otherTmp);
    }
    fs.renameSync(otherTmp, other);
  }
}
