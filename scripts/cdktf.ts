/**
 * `npm run cdktf -- <args>`: the cdktf CLI with the project's toolchain environment (CLI config,
 * Terraform binary). deploy/diff/destroy get `--skip-provider-lock` in mirror mode, because cdktf
 * would otherwise ask the registry for provider hashes.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { cdktfArgs } from "../toolchain/cdktf-usage";
import { toolchainPaths } from "../toolchain/paths";
import { readSetupRecord } from "../toolchain/setup-record";
import { withToolchainEnv } from "../toolchain/toolchain-env";

const paths = toolchainPaths();
const args = cdktfArgs(readSetupRecord(paths), process.argv.slice(2));
const cli = path.join(paths.root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const res = spawnSync(process.execPath, [cli, ...args], { cwd: paths.root, env: withToolchainEnv(), stdio: "inherit" });
process.exit(res.status ?? 1);
