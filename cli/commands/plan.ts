import { hasChanges } from "../../terraform/terraform-plan";
import { plan } from "../../deploy/workflow";
import { ensureCliToolchain } from "../ensure-toolchain";
import { Command, envArgument } from "../command";
import { projectRoot } from "../project-root";

/** `proxmox-cdk plan <env>`: what `up` would change. */
export const planCommand: Command = {
  name: "plan",
  summary: "show what `up` would change, without changing anything",
  help: `Usage: proxmox-cdk plan <env>

Synthesises environments/<env>.yaml and runs terraform plan against the target (see \`up --help\`).
Lists each resource that would be created, changed, replaced or destroyed.
Exit code: 0 no changes, 2 changes.`,
  async run(args) {
    const env = envArgument(args, "plan");
    await ensureCliToolchain();
    const result = await plan({ root: projectRoot(), env });
    result.changes.forEach((c) => console.log(`  ${c}`));
    return hasChanges(result.counts) ? 2 : 0;
  },
};
