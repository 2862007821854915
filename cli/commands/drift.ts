import { Command } from "../command";
import { APP_OPTIONS, APP_SOURCE_HELP, STACK_SOURCE_ARGUMENT, stackSource, workflowSource } from "../stack-source";
import { TARGET_OPTIONS } from "../target-option";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk drift <env>`: changes made outside Terraform. */
export const driftCommand: Command = {
  name: "drift",
  summary: "report changes made outside Terraform (exit 2 on drift)",
  args: { ...STACK_SOURCE_ARGUMENT, options: { ...TARGET_OPTIONS, ...APP_OPTIONS } },
  description: `Runs a refresh-only plan and lists every attribute that differs between Proxmox VE and the
Terraform state, e.g. "…vm.web: memory.dedicated 1024 → 2048", and every orphan: a guest in
the environment's pool (or vmIdRange) that the state does not record — e.g. the VM of a clone whose
apply was killed — with the command that imports or removes it. Exit 2 on drift or orphans.
${APP_SOURCE_HELP}
An app's stack has no pool or vmIdRange that marks its guests: it is not scanned for orphans.`,
  async run(args) {
    const source = stackSource(args, "drift");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { drift, hasChangesOrOrphans } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const result = await drift({ ...workflowSource(source), sim: args.flags.sim === true });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return hasChangesOrOrphans(result) ? 2 : 0;
  },
};
