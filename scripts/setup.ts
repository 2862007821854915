/**
 * `npm run setup`: prepares the Terraform toolchain and the bindings (see toolchain/setup.ts).
 * Flags: --quiet (only say what was done), --build-tofu (build OpenTofu when no terraform/tofu exists),
 * --bindings-only is accepted for `npm run get` and behaves like a normal setup.
 */
import { ensureToolchain } from "../toolchain/setup";
import { toolchainPaths } from "../toolchain/paths";
import { buildTofu } from "../toolchain/tofu-build";

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const paths = toolchainPaths();
  if (args.has("--build-tofu")) await buildTofu(paths, console.log);
  const res = await ensureToolchain({ paths });
  const r = res.record;
  const what = `bpg/proxmox ${r.providerVersion} from the ${r.providerSource}, ${r.terraform.command} ${r.terraform.version}`;
  if (res.cached) console.log(`toolchain: cached (${what}) in ${res.seconds.toFixed(1)}s`);
  else console.log(`toolchain: ready (${what}) in ${res.seconds.toFixed(1)}s`);
  if (!args.has("--quiet")) {
    console.log(`  CLI config: ${paths.cliConfig}`);
    console.log(`  bindings:   ${paths.bindings}`);
    console.log(`  To run terraform or cdktf yourself: export TF_CLI_CONFIG_FILE=${paths.cliConfig}`);
  }
}

main().catch((e: Error) => {
  console.error(`setup failed: ${e.message}`);
  process.exit(1);
});
