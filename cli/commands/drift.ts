import type { Command } from "../command";
import { ENV_ARGUMENT, envArgument } from "../command";
import { TARGET_OPTIONS } from "../target-option";

/** `proxmox-cdk drift <env>`: changes made outside Terraform. */
export const driftCommand: Command = {
  name: "drift",
  summary: "report changes made outside Terraform (exit 2 on drift)",
  args: { ...ENV_ARGUMENT, options: { ...TARGET_OPTIONS } },
  description: `Runs a refresh-only plan and lists every attribute that differs between Proxmox VE and the
Terraform state, e.g. "…vm.web: memory.dedicated 1024 → 2048"; exit 2 on drift.`,
  async run(args) {
    const env = envArgument(args, "drift");
    // The toolchain first: the modules below reach the generated bindings it creates.
    await (await import("../ensure-toolchain")).ensureCliToolchain();
    const [{ drift }, { projectRoot }] = await Promise.all([import("../../deploy/workflow"), import("../project-root")]);
    const result = await drift({ root: projectRoot(), env, sim: args.flags.sim === true });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return result.changes.length ? 2 : 0;
  },
};
