import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { TARGET_OPTIONS } from "../target-option";
import { hasChanges } from "../../terraform/terraform-plan";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk plan <env>`: what `up` would change. */
export const planCommand: Command = {
  name: "plan",
  summary: "show what `up` would change, without changing anything",
  args: { ...ENV_ARGUMENT, options: { ...TARGET_OPTIONS } },
  description: `Synthesises environments/<env>.yaml and runs terraform plan against the target (see \`up --help\`).
Lists each resource that would be created, changed, replaced or destroyed; exit 2 when there are changes.`,
  async run(args) {
    const env = envArgument(args, "plan");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (startup time); import() would bypass the tsx CommonJS hook bin/ runs sources with
    const { plan } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const result = await plan({ root: projectRoot(), env, sim: args.flags.sim === true });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return hasChanges(result.counts) ? 2 : 0;
  },
};
