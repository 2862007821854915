import { ToolchainPaths } from "./paths";
import { SetupRecord } from "./setup-record";
import { toolchainEnv } from "./toolchain-env";

/** cdktf commands that check provider lock hashes against the registry. */
const LOCKING_COMMANDS = ["deploy", "diff", "destroy"];

/**
 * `args` for the cdktf CLI with `--skip-provider-lock` added where it is needed: in mirror mode,
 * deploy/diff/destroy would otherwise ask the registry for the provider's lock-file hashes.
 */
export function cdktfArgs(record: SetupRecord | undefined, args: readonly string[]): string[] {
  const out = [...args];
  if (record?.providerSource === "mirror" && LOCKING_COMMANDS.includes(out[0] ?? "") && !out.includes("--skip-provider-lock")) out.push("--skip-provider-lock");
  return out;
}

/** A value as one POSIX shell word (single-quoted; a path never becomes shell code). */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * How to run `cdktf` (and terraform) in a project with its prepared toolchain: the environment
 * variables to export and the deploy command line, as lines to print.
 */
export function cdktfUsage(paths: ToolchainPaths, record: SetupRecord): string[] {
  const env = toolchainEnv(paths);
  return [
    "To run cdktf (or terraform) in this project with the prepared provider, set in your shell or CI job:",
    ...Object.entries(env).map(([name, value]) => `  export ${name}=${shellWord(value)}`),
    "then:",
    `  npx cdktf ${cdktfArgs(record, ["deploy"]).join(" ")}`,
    ...(record.providerSource === "mirror"
      ? [
          "(the provider comes from the filesystem mirror: --skip-provider-lock keeps cdktf from asking the registry for lock-file hashes; add it to diff and destroy too)",
        ]
      : []),
    `Keep ${shellWord(paths.dir)} out of version control (add .toolchain/ to .gitignore).`,
  ];
}
