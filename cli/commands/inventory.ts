import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { stringFlag } from "../args";
import * as path from "path";
import { writeFileAtomic } from "../../io/atomic-write";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk inventory <env>`: Ansible inventory from the deployed environment. */
export const inventoryCommand: Command = {
  name: "inventory",
  summary: "write the Ansible inventory of a deployed environment",
  args: { ...ENV_ARGUMENT, options: { out: { type: "string", short: "o", valueName: "FILE", description: 'where to write it (default ansible/inventory/<env>.yml; "-" prints it)' } } },
  description: `Reads the VMs of the last deploy from the Terraform state (no call to Proxmox VE) and writes an
Ansible inventory: one group per tier; host vars ansible_host (IPv4), tier, stage and
nftables_allowed_inbound (the same firewall intents as the Proxmox firewall).`,
  async run(args) {
    const env = envArgument(args, "inventory");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (startup time); import() would bypass the tsx CommonJS hook bin/ runs sources with
    const { readDeployedEnvironment } = require("../../deploy/environment-outputs") as typeof import("../../deploy/environment-outputs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (startup time); import() would bypass the tsx CommonJS hook bin/ runs sources with
    const { renderInventory } = require("../../inventory/ansible-inventory") as typeof import("../../inventory/ansible-inventory");
    const root = projectRoot();
    const deployed = await readDeployedEnvironment(root, env);
    const yaml = renderInventory(deployed.env, deployed.vms);
    const out = stringFlag(args, "out", path.join(root, "ansible", "inventory", `${env}.yml`)) as string;
    if (out === "-") process.stdout.write(yaml);
    else {
      writeFileAtomic(out, yaml);
      console.log(`Wrote ${path.relative(process.cwd(), out)} (${deployed.vms.length} hosts).`);
    }
    return 0;
  },
};
