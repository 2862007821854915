import * as fs from "fs";
import * as path from "path";
import { buildGoModule } from "./go-module-build";
import { ToolchainPaths } from "./paths";

/** OpenTofu release built by `npm run setup -- --build-tofu` when no Terraform binary exists. */
export const TOFU_VERSION = "1.10.10";

/** Where the fallback OpenTofu binary lives. */
export function tofuBinary(paths: ToolchainPaths): string {
  return path.join(paths.dir, "bin", "tofu");
}

/** Extra Terraform candidates for {@link findTerraform}: the fallback tofu, when it was built. */
export function tofuCandidates(paths: ToolchainPaths): string[] {
  return fs.existsSync(tofuBinary(paths)) ? [tofuBinary(paths)] : [];
}

/**
 * Builds OpenTofu from its Go module (Go module proxy: `go mod download` + `go build`) into
 * `.toolchain/bin/tofu`. The offline fallback for machines without terraform or tofu.
 */
export async function buildTofu(paths: ToolchainPaths, log: (line: string) => void): Promise<string> {
  const out = tofuBinary(paths);
  if (!fs.existsSync(out)) {
    await buildGoModule({ ref: `github.com/opentofu/opentofu@v${TOFU_VERSION}`, pkg: "./cmd/tofu", out, label: `OpenTofu ${TOFU_VERSION}` }, log);
  }
  return out;
}
