import { Command } from "../command";
import { APP_OPTIONS, APP_SOURCE_HELP, STACK_SOURCE_ARGUMENT, stackSource, workflowSource } from "../stack-source";
import { TARGET_OPTIONS } from "../target-option";
import { hasChanges } from "../../terraform/terraform-plan";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk plan <env>` (or a cdktf app's stack): what `up` would change. */
export const planCommand: Command = {
  name: "plan",
  summary: "show what `up` would change, without changing anything",
  args: { ...STACK_SOURCE_ARGUMENT, options: { ...TARGET_OPTIONS, ...APP_OPTIONS } },
  description: `Synthesises environments/<env>.yaml and runs terraform plan against the target (see \`up --help\`).
Lists each resource that would be created, changed, replaced or destroyed; exit 2 when there are changes.
${APP_SOURCE_HELP}`,
  async run(args) {
    const source = stackSource(args, "plan");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { plan } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const result = await plan({ ...workflowSource(source), sim: args.flags.sim === true });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return hasChanges(result.counts) ? 2 : 0;
  },
};
