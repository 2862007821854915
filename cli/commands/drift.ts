import { hasChanges } from "../../terraform/terraform-plan";
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
Terraform state, e.g. "…vm.web: memory.dedicated 1024 → 2048".
Exit code: 0 no drift, 2 drift.`,
  async run(args) {
    const env = envArgument(args, "drift");
    await ensureCliToolchain();
    const result = await drift({ root: projectRoot(), env });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return hasChanges(result.counts) ? 2 : 0;
  },
};
