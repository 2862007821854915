import { spawnSync } from "child_process";

/** A Terraform-compatible binary found on this machine. */
export interface TerraformBinary {
  /** Command name or path, as passed to cdktf in `TERRAFORM_BINARY_NAME`. */
  readonly command: string;
  /** `terraform` or `tofu`. */
  readonly flavour: "terraform" | "tofu";
  /** Version reported by the binary, e.g. `1.11.4`. */
  readonly version: string;
}

const MINIMUM: Record<TerraformBinary["flavour"], [number, number]> = {
  terraform: [1, 5],
  tofu: [1, 6],
};

/** Explains how to get a Terraform binary when none is found; printed verbatim. */
export const NO_TERRAFORM_HELP = [
  "No Terraform binary found: install terraform >= 1.5 or OpenTofu (tofu) >= 1.6 and put it on PATH,",
  "or point TERRAFORM_BINARY_NAME at one.",
  "Offline fallback (Go toolchain + Go module proxy only): `npm run setup -- --build-tofu` builds OpenTofu",
  "from its Go module (go mod download + go build) into .toolchain/bin/tofu and uses it. See README.md.",
].join("\n");

function parseVersion(text: string): string | undefined {
  const m = /v?(\d+\.\d+\.\d+)/.exec(text);
  return m?.[1];
}

function atLeast(version: string, [major, minor]: [number, number]): boolean {
  const [a, b] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

/** Runs `<command> version -json` and returns what it reports, or undefined when it does not run. */
export function probeTerraform(command: string): TerraformBinary | undefined {
  // -json avoids the CLI-config warnings Terraform prints on stderr for a missing ~/.terraformrc.
  const res = spawnSync(command, ["version", "-json"], { encoding: "utf8", timeout: 20_000 });
  if (res.error || res.status !== 0) return undefined;
  let version: string | undefined;
  try {
    const written = (JSON.parse(res.stdout) as { terraform_version?: unknown }).terraform_version;
    version = parseVersion(typeof written === "string" ? written : "");
  } catch {
    version = parseVersion(res.stdout);
  }
  if (!version) return undefined;
  const flavour = /tofu/.test(command.split("/").pop() ?? "") || /OpenTofu/i.test(res.stdout) ? "tofu" : "terraform";
  return { command, flavour, version };
}

/**
 * Finds the Terraform binary to use: `TERRAFORM_BINARY_NAME` when set, else `terraform` >= 1.5,
 * else `tofu` >= 1.6, else the OpenTofu the setup step may have built into `.toolchain/bin/tofu`.
 * Throws with {@link NO_TERRAFORM_HELP} when none qualifies.
 */
export function findTerraform(extraCandidates: readonly string[] = [], defaults: readonly string[] = ["terraform", "tofu"]): TerraformBinary {
  const explicit = process.env.TERRAFORM_BINARY_NAME;
  const candidates = explicit ? [explicit] : [...defaults, ...extraCandidates];
  const rejected: string[] = [];
  for (const command of candidates) {
    const found = probeTerraform(command);
    if (!found) continue;
    if (atLeast(found.version, MINIMUM[found.flavour])) return found;
    rejected.push(`${command} ${found.version} is older than ${MINIMUM[found.flavour].join(".")}`);
  }
  const why = explicit ? `TERRAFORM_BINARY_NAME=${explicit} does not run as a Terraform binary.` : rejected.join("; ");
  throw new Error(`${why ? why + "\n" : ""}${NO_TERRAFORM_HELP}`);
}
