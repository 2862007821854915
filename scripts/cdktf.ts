/**
 * `npm run cdktf -- <args>`: the cdktf CLI with the project's toolchain environment (CLI config,
 * Terraform binary). deploy/diff/destroy get `--skip-provider-lock` in mirror mode, because cdktf
 * would otherwise ask the registry for provider hashes.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { toolchainPaths } from "../toolchain/paths";
import { readSetupRecord } from "../toolchain/setup-record";
import { withToolchainEnv } from "../toolchain/toolchain-env";

const paths = toolchainPaths();
const args = process.argv.slice(2);
const record = readSetupRecord(paths);
if (record?.providerSource === "mirror" && ["deploy", "diff", "destroy"].includes(args[0] ?? "")) {
  if (!args.includes("--skip-provider-lock")) args.push("--skip-provider-lock");
}
const cli = path.join(paths.root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const res = spawnSync(process.execPath, [cli, ...args], { cwd: paths.root, env: withToolchainEnv(), stdio: "inherit" });
process.exit(res.status ?? 1);
