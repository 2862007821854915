import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ToolchainPaths } from "./paths";

/** File every construct imports first; its presence means the bindings were generated. */
export function bindingsMarker(paths: ToolchainPaths): string {
  return path.join(paths.bindings, "providers", "proxmox", "virtual-environment-vm", "index.ts");
}

/** Version of cdktf-cli installed in the project, which the bindings must be generated with. */
export function installedCdktfVersion(paths: ToolchainPaths): string {
  const file = path.join(paths.root, "node_modules", "cdktf-cli", "package.json");
  const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown };
  if (typeof pkg.version !== "string") throw new Error(`${file} has no "version": reinstall with npm ci.`);
  return pkg.version;
}

/**
 * Generates the typed bpg/proxmox bindings into `.gen/` with `cdktf get`, through the same
 * CLI configuration as every other Terraform run (so it works offline through the mirror).
 */
export function generateBindings(paths: ToolchainPaths, env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  log("Generating bpg/proxmox bindings with `cdktf get` (about a minute)…");
  const cli = path.join(paths.root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
  const res = spawnSync(process.execPath, [cli, "get", "--force"], {
    cwd: paths.root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0 || !fs.existsSync(bindingsMarker(paths))) {
    throw new Error(
      `cdktf get failed (exit ${res.status}). Its output:\n${(res.stdout ?? "") + (res.stderr ?? "")}\n` +
        "Check that .toolchain/terraformrc points at a mirror holding the provider (`npm run setup`).",
    );
  }
}
