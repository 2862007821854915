import { buildGoModule, goAvailable } from "./go-module-build";
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

/**
 * Builds bpg/proxmox at the pinned version from its Go module (through the Go module proxy)
 * into the filesystem mirror, once per registry host Terraform or OpenTofu may ask for.
 * The binary is written to a temporary name and renamed, so an interrupted build leaves no half file.
 */
export async function buildProviderIntoMirror(paths: ToolchainPaths, log: (line: string) => void): Promise<void> {
  if (!goAvailable()) throw new Error(NO_PROVIDER_HELP);
  const [first, ...others] = PROVIDER_HOSTS.map((host) => mirroredProviderBinary(paths, host));
  await buildGoModule(
    {
      ref: `${PROVIDER_GO_MODULE}@v${PROVIDER_VERSION}`,
      pkg: ".",
      out: first,
      ldflags: `-s -w -X main.version=${PROVIDER_VERSION}`,
      label: `terraform-provider-proxmox v${PROVIDER_VERSION}`,
    },
    log,
  );
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
