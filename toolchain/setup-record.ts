import * as fs from "fs";
import { writeFileAtomic } from "../io/atomic-write";
import { PROVIDER_VERSION, ToolchainPaths } from "./paths";
import { ProviderSource } from "./provider-source";
import { TerraformBinary } from "./terraform-binary";

/** What the last successful setup produced; read by tests, the CLI and the next setup ("cached"). */
export interface SetupRecord {
  readonly providerVersion: string;
  readonly providerSource: ProviderSource;
  readonly terraform: TerraformBinary;
  /** cdktf version the bindings in `.gen/` were generated with, when they were. */
  readonly bindingsCdktfVersion?: string;
}

/** Reads the setup record, or undefined when setup has not run (or ran for another provider version). */
export function readSetupRecord(paths: ToolchainPaths): SetupRecord | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(paths.stamp, "utf8")) as SetupRecord;
    return rec.providerVersion === PROVIDER_VERSION ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the setup record atomically. */
export function writeSetupRecord(paths: ToolchainPaths, rec: SetupRecord): void {
  writeFileAtomic(paths.stamp, JSON.stringify(rec, null, 2) + "\n");
}
