import * as path from "path";
import { ensureToolchain } from "../toolchain/setup";

/**
 * Prepares terraform and the provider (cached after the first run). Bindings are generated only in
 * a clone: the published package ships them compiled, and a user's project has no cdktf-cli.
 */
export async function ensureCliToolchain(): Promise<void> {
  const packaged = __dirname.split(path.sep).includes("dist");
  await ensureToolchain({ log: (l) => console.error(l), skipBindings: packaged });
}
