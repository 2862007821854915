import { drift } from "../../deploy/workflow";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { projectRoot } from "../project-root";

/** `proxmox-cdk drift <env>`: changes made outside Terraform. */
export const driftCommand: Command = {
  name: "drift",
  summary: "report changes made outside Terraform (exit 2 on drift)",
  help: `Usage: proxmox-cdk drift <env>

Runs a refresh-only plan and lists every attribute that differs between Proxmox VE and the
Terraform state, e.g. "…vm.web: memory.dedicated 1024 → 2048", and every orphan: a guest in
the environment's pool (or vmIdRange) that the state does not record — e.g. the VM of a clone whose
apply was killed — with the command that imports or removes it.
Exit code: 0 no drift, 2 drift.`,
  async run(args) {
    const env = envArgument(args, "drift");
    await ensureCliToolchain();
    const result = await drift({ root: projectRoot(), env });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return result.changes.length ? 2 : 0;
  },
};
