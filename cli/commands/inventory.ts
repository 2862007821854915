import type { Command } from "../command";
import { ENV_ARGUMENT, envArgument } from "../command";
import { stringFlag } from "../args";

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
    const path = await import("path");
    // The toolchain first: the modules below reach the generated bindings it creates.
    await (await import("../ensure-toolchain")).ensureCliToolchain();
    const [{ readDeployedEnvironment }, { renderInventory }, { writeFileAtomic }, { projectRoot }] = await Promise.all([
      import("../../deploy/environment-outputs"),
      import("../../inventory/ansible-inventory"),
      import("../../io/atomic-write"),
      import("../project-root"),
    ]);
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
