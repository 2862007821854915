import { destroy } from "../../deploy/workflow";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { printResult } from "../print-result";
import { projectRoot } from "../project-root";

/** `proxmox-cdk destroy <env>`: remove everything the environment created. */
export const destroyCommand: Command = {
  name: "destroy",
  summary: "destroy every resource of an environment",
  help: `Usage: proxmox-cdk destroy <env>

Plans the destruction of everything environments/<env>.yaml created and applies it. VMs with
protection (prod) refuse deletion in Proxmox VE: turn protection off in a deploy first.`,
  async run(args) {
    const env = envArgument(args, "destroy");
    await ensureCliToolchain();
    printResult(await destroy({ root: projectRoot(), env }), `destroy ${env}`);
    return 0;
  },
};
