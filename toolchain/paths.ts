import * as fs from "fs";
import * as path from "path";

/** The bpg/proxmox provider version this project is built and tested against (also pinned in cdktf.json). */
export const PROVIDER_VERSION = "0.111.1";

/** Go module path of the provider, built with the Go toolchain when the Terraform registry is out of reach. */
export const PROVIDER_GO_MODULE = "github.com/bpg/terraform-provider-proxmox";

/** Registry hostnames the mirror serves the provider under (Terraform and OpenTofu resolve `bpg/proxmox` differently). */
export const PROVIDER_HOSTS = ["registry.terraform.io", "registry.opentofu.org"] as const;

/** Where the project keeps everything the toolchain step produces; git-ignored. */
export interface ToolchainPaths {
  /** Project root (the folder holding cdktf.json). */
  readonly root: string;
  /** `.toolchain/`: mirror, CLI config and the cache stamp. */
  readonly dir: string;
  /** Terraform filesystem mirror. */
  readonly mirror: string;
  /** Generated Terraform CLI configuration (`TF_CLI_CONFIG_FILE`). */
  readonly cliConfig: string;
  /** JSON record of what the last setup produced, used to answer "cached". */
  readonly stamp: string;
  /** Shared plugin cache so every test directory does not copy the 28 MB provider again. */
  readonly pluginCache: string;
  /** Generated cdktf bindings (`cdktf get` output). */
  readonly bindings: string;
}

/**
 * The project whose toolchain is used: `PROXMOX_CDK_ROOT` when set; in a clone of this repository
 * (TypeScript sources present), the clone; in the published package, the nearest folder upwards
 * from the current directory holding `cdktf.json`, else the current directory.
 */
export function defaultProjectRoot(start = process.cwd()): string {
  if (process.env.PROXMOX_CDK_ROOT) return path.resolve(process.env.PROXMOX_CDK_ROOT);
  const clone = path.resolve(__dirname, "..");
  if (fs.existsSync(path.join(clone, "toolchain", "paths.ts"))) return clone;
  for (let dir = path.resolve(start); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) return dir;
  }
  return path.resolve(start);
}

/** Resolves the toolchain paths for a project root (default: {@link defaultProjectRoot}). */
export function toolchainPaths(root: string = defaultProjectRoot()): ToolchainPaths {
  const dir = path.join(root, ".toolchain");
  return {
    root,
    dir,
    mirror: path.join(dir, "mirror"),
    cliConfig: path.join(dir, "terraformrc"),
    stamp: path.join(dir, "setup.json"),
    pluginCache: path.join(dir, "plugin-cache"),
    bindings: path.join(root, ".gen"),
  };
}

/** Path of the provider binary inside the filesystem mirror for one registry host. */
export function mirroredProviderBinary(paths: ToolchainPaths, host: string, platform = goPlatform()): string {
  return path.join(paths.mirror, host, "bpg", "proxmox", PROVIDER_VERSION, platform, `terraform-provider-proxmox_v${PROVIDER_VERSION}`);
}

/** Terraform's platform string for this machine, e.g. `linux_amd64`. */
export function goPlatform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}
