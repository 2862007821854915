import * as path from "path";
import { stringFlag } from "../args";
import { Command } from "../command";
import { runsFromPackage } from "../ensure-toolchain";

/**
 * `proxmox-cdk setup`: prepares the Terraform toolchain (CLI config, provider, Terraform binary) in
 * a user's cdktf project, the same step `npm run setup` is in a clone, and prints how to run
 * `cdktf deploy` with it.
 */
export const setupCommand: Command = {
  name: "setup",
  summary: "prepare terraform and the bpg/proxmox provider in this project; print how to run cdktf with them",
  args: {
    usage: "",
    maxPositionals: 0,
    options: {
      dir: { type: "string", valueName: "DIR", description: "project folder (default: the nearest folder upwards holding cdktf.json, else the current one)" },
      "build-tofu": { type: "boolean", description: "build OpenTofu from its Go module into .toolchain/bin/ (when no terraform or tofu is installed)" },
    },
  },
  description: `Prepares <project>/.toolchain/ (git-ignore it): finds terraform (≥ 1.5) or tofu (≥ 1.6), gets bpg/proxmox
from the Terraform registry when it answers, else builds the pinned provider with Go into a filesystem
mirror (PROXMOX_CDK_PROVIDER_SOURCE=registry|mirror forces a choice), and writes the Terraform CLI
config. Idempotent: a second run says "cached". Then prints the variables (TF_CLI_CONFIG_FILE, …) and
the \`cdktf deploy\` command line to use (with --skip-provider-lock in mirror mode).`,
  async run(args) {
    const { ensureToolchain } = require("../../toolchain/setup") as typeof import("../../toolchain/setup");
    const { defaultProjectRoot, toolchainPaths } = require("../../toolchain/paths") as typeof import("../../toolchain/paths");
    const { buildTofu } = require("../../toolchain/tofu-build") as typeof import("../../toolchain/tofu-build");
    const { cdktfUsage } = require("../../toolchain/cdktf-usage") as typeof import("../../toolchain/cdktf-usage");
    const dir = stringFlag(args, "dir");
    const paths = toolchainPaths(dir === undefined ? defaultProjectRoot() : path.resolve(dir));
    const log = (l: string) => console.error(l);
    if (args.flags["build-tofu"]) await buildTofu(paths, log);
    // Bindings are this repository's build step: a user's project gets them compiled in the package.
    const clone = toolchainPaths().root;
    const res = await ensureToolchain({ paths, log, skipBindings: paths.root !== clone || runsFromPackage() });
    const r = res.record;
    console.log(
      `toolchain: ${res.cached ? "cached" : "ready"} in ${paths.root} (bpg/proxmox ${r.providerVersion} from the ${r.providerSource}, ${r.terraform.command} ${r.terraform.version})`,
    );
    console.log(`  CLI config: ${paths.cliConfig}`);
    cdktfUsage(paths, r).forEach((l) => console.log(l));
    return 0;
  },
};
