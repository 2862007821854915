import { ToolchainPaths, toolchainPaths } from "./paths";
import { readSetupRecord } from "./setup-record";

/**
 * Environment variables every terraform/cdktf invocation of the project runs with: the generated
 * CLI configuration (mirror or registry), the Terraform binary setup chose, and no update checks.
 * Throws when setup has not run, naming the command that fixes it.
 */
export function toolchainEnv(paths: ToolchainPaths = toolchainPaths()): Record<string, string> {
  const rec = readSetupRecord(paths);
  if (!rec) {
    throw new Error(`The provider toolchain is not set up in ${paths.root}: run \`npm run setup\` first.`);
  }
  return {
    TF_CLI_CONFIG_FILE: paths.cliConfig,
    TERRAFORM_BINARY_NAME: rec.terraform.command,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    // cdktf otherwise points TF_PLUGIN_CACHE_DIR at ~/.terraform.d; the CLI config already sets one.
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    DISABLE_VERSION_CHECK: "1",
  };
}

/** `process.env` merged with {@link toolchainEnv}, for child processes. */
export function withToolchainEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...toolchainEnv(), ...extra };
}
