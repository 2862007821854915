import type { Command } from "../command";
import { ENV_ARGUMENT, envArgument } from "../command";
import { TARGET_OPTIONS } from "../target-option";

/** `proxmox-cdk destroy <env>`: remove everything the environment created. */
export const destroyCommand: Command = {
  name: "destroy",
  summary: "destroy every resource of an environment",
  args: { ...ENV_ARGUMENT, options: { ...TARGET_OPTIONS } },
  description: `Plans the destruction of everything environments/<env>.yaml created and applies it (target: see
\`up --help\`). VMs with protection (prod) refuse deletion in Proxmox VE: turn protection off in a
deploy first.`,
  async run(args) {
    const env = envArgument(args, "destroy");
    // The toolchain first: the modules below reach the generated bindings it creates.
    await (await import("../ensure-toolchain")).ensureCliToolchain();
    const [{ destroy }, { printResult }, { projectRoot }] = await Promise.all([
      import("../../deploy/workflow"),
      import("../print-result"),
      import("../project-root"),
    ]);
    printResult(await destroy({ root: projectRoot(), env, sim: args.flags.sim === true }), `destroy ${env}`);
    return 0;
  },
};
