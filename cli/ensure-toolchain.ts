import * as fs from "fs";
import * as path from "path";
import { ensureToolchain } from "../toolchain/setup";
import { toolchainPaths } from "../toolchain/paths";

/**
 * Prepares terraform and the provider (cached after the first run), with progress on stderr.
 * Bindings are generated only in a clone: the published package ships them compiled, and a
 * user's project has no cdktf-cli. Commands call this before importing anything that reaches the
 * generated bindings. A failure names the one command that shows and retries the setup.
 */
export async function ensureCliToolchain(): Promise<void> {
  const packaged = runsFromPackage();
  const paths = toolchainPaths();
  if (!fs.existsSync(paths.stamp))
    console.error("Preparing the toolchain (first run: terraform, the bpg/proxmox provider, bindings; this takes a few minutes)…");
  try {
    await ensureToolchain({ log: (l) => console.error(l), skipBindings: packaged });
  } catch (e) {
    throw new Error(
      `the toolchain could not be prepared: ${(e as Error).message}\nFix that and run \`npm run setup\` (it shows every step), then run this command again.`,
    );
  }
}

/** True when the CLI runs from the published package (compiled, under dist/), not from a clone. */
export function runsFromPackage(): boolean {
  return __dirname.split(path.sep).includes("dist");
}
