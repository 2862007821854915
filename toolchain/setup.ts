import * as fs from "fs";
import { bindingsMarker, generateBindings, installedCdktfVersion } from "./bindings";
import { writeCliConfig } from "./cli-config";
import { PROVIDER_VERSION, ToolchainPaths, toolchainPaths } from "./paths";
import { goAvailable } from "./go-module-build";
import { buildProviderIntoMirror, mirrorIsComplete } from "./provider-build";
import { chooseProviderSource } from "./provider-source";
import { SetupRecord, readSetupRecord, writeSetupRecord } from "./setup-record";
import { TerraformBinary, findTerraform } from "./terraform-binary";
import { toolchainEnv } from "./toolchain-env";
import { buildTofu, tofuCandidates } from "./tofu-build";

/** Options of {@link ensureToolchain}. */
export interface SetupOptions {
  /** Project root. @default this repository */
  readonly paths?: ToolchainPaths;
  /** Progress output. @default console.log */
  readonly log?: (line: string) => void;
  /** Skip the bindings step (e.g. for a toolchain-only check). @default false */
  readonly skipBindings?: boolean;
}

/** Result of {@link ensureToolchain}. */
export interface SetupResult {
  readonly record: SetupRecord;
  /** True when nothing had to be built or generated. */
  readonly cached: boolean;
  readonly seconds: number;
}

/**
 * Makes the project ready to synthesise and to run the real Terraform with bpg/proxmox:
 * finds a Terraform binary, obtains the provider (registry, or a Go build into the mirror),
 * writes the CLI configuration and generates the bindings. Idempotent; a second run is "cached".
 */
export async function ensureToolchain(opts: SetupOptions = {}): Promise<SetupResult> {
  const started = Date.now();
  const paths = opts.paths ?? toolchainPaths();
  const log = opts.log ?? ((l: string) => console.log(l));
  const previous = readSetupRecord(paths);
  let cached = true;

  const terraform = await findOrBuildTerraform(paths, log);
  const source = await chooseProviderSource(mirrorIsComplete(paths));
  if (source === "mirror" && !mirrorIsComplete(paths)) {
    cached = false;
    await buildProviderIntoMirror(paths, log);
  }
  writeCliConfig(paths, source);
  fs.mkdirSync(paths.pluginCache, { recursive: true });

  let record: SetupRecord = {
    providerVersion: PROVIDER_VERSION,
    providerSource: source,
    terraform,
    bindingsCdktfVersion: previous?.bindingsCdktfVersion,
  };
  writeSetupRecord(paths, record);

  if (!opts.skipBindings) {
    const cdktfVersion = installedCdktfVersion(paths);
    const fresh = previous?.bindingsCdktfVersion === cdktfVersion && fs.existsSync(bindingsMarker(paths));
    if (!fresh) {
      cached = false;
      generateBindings(paths, { ...process.env, ...toolchainEnv(paths) }, log);
      record = { ...record, bindingsCdktfVersion: cdktfVersion };
      writeSetupRecord(paths, record);
    }
  }
  return { record, cached, seconds: (Date.now() - started) / 1000 };
}

/**
 * The Terraform binary to use; when none is installed but Go is, OpenTofu is built from its Go
 * module as the documented offline fallback (so a fresh CI machine needs no manual install).
 */
async function findOrBuildTerraform(paths: ToolchainPaths, log: (line: string) => void): Promise<TerraformBinary> {
  try {
    return findTerraform(tofuCandidates(paths));
  } catch (e) {
    if (process.env.TERRAFORM_BINARY_NAME || !goAvailable()) throw e;
    log("No terraform or tofu on this machine: falling back to OpenTofu built from its Go module.");
    await buildTofu(paths, log);
    return findTerraform(tofuCandidates(paths));
  }
}
