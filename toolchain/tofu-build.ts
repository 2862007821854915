import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
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
export function buildTofu(paths: ToolchainPaths, log: (line: string) => void): string {
  const out = tofuBinary(paths);
  if (fs.existsSync(out)) return out;
  const ref = `github.com/opentofu/opentofu@v${TOFU_VERSION}`;
  log(`Building OpenTofu ${TOFU_VERSION} from its Go module (several minutes)…`);
  const dl = spawnSync("go", ["mod", "download", "-json", ref], { encoding: "utf8" });
  if (dl.status !== 0) throw new Error(`go mod download ${ref} failed:\n${dl.stderr}`);
  const dir = JSON.parse(dl.stdout).Dir as string;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const build = spawnSync("go", ["build", "-trimpath", "-ldflags", "-s -w", "-o", tmp, "./cmd/tofu"], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) throw new Error(`go build of OpenTofu ${TOFU_VERSION} failed (exit ${build.status}).`);
  fs.renameSync(tmp, out);
  return out;
}
