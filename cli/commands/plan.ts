import type { Command } from "../command";
import { ENV_ARGUMENT, envArgument } from "../command";
import { TARGET_OPTIONS } from "../target-option";

/** `proxmox-cdk plan <env>`: what `up` would change. */
export const planCommand: Command = {
  name: "plan",
  summary: "show what `up` would change, without changing anything",
  args: { ...ENV_ARGUMENT, options: { ...TARGET_OPTIONS } },
  description: `Synthesises environments/<env>.yaml and runs terraform plan against the target (see \`up --help\`).
Lists each resource that would be created, changed, replaced or destroyed; exit 2 when there are changes.`,
  async run(args) {
    const env = envArgument(args, "plan");
    // The toolchain first: the modules below reach the generated bindings it creates.
    await (await import("../ensure-toolchain")).ensureCliToolchain();
    const [{ plan }, { projectRoot }] = await Promise.all([import("../../deploy/workflow"), import("../project-root")]);
    const result = await plan({ root: projectRoot(), env, sim: args.flags.sim === true });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return result.changes.length ? 2 : 0;
  },
};
