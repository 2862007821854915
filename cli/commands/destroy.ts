import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { TARGET_OPTIONS } from "../target-option";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

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
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { destroy } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const { printResult } = require("../print-result") as typeof import("../print-result");
    printResult(await destroy({ root: projectRoot(), env, sim: args.flags.sim === true }), `destroy ${env}`);
    return 0;
  },
};
