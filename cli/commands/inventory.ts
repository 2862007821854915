import * as path from "path";
import { readDeployedEnvironment } from "../../deploy/environment-outputs";
import { renderInventory } from "../../inventory/ansible-inventory";
import { writeFileAtomic } from "../../io/atomic-write";
import { ensureCliToolchain } from "../ensure-toolchain";
import { stringFlag } from "../args";
import { Command, envArgument } from "../command";
import { projectRoot } from "../project-root";

/** `proxmox-cdk inventory <env>`: Ansible inventory from the deployed environment. */
export const inventoryCommand: Command = {
  name: "inventory",
  summary: "write the Ansible inventory of a deployed environment",
  help: `Usage: proxmox-cdk inventory <env> [--out FILE]

Reads the VMs of the last deploy from the Terraform state (no call to Proxmox VE) and writes an
Ansible inventory: one group per tier; host vars ansible_host (IPv4), tier, stage and
nftables_allowed_inbound (the same firewall intents as the Proxmox firewall).
Default output: ansible/inventory/<env>.yml ("-" prints it).`,
  async run(args) {
    const env = envArgument(args, "inventory");
    await ensureCliToolchain();
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
