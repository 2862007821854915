import { Command } from "../command";
import { APP_OPTIONS, APP_SOURCE_HELP, STACK_SOURCE_ARGUMENT, stackSource } from "../stack-source";
import { stringFlag } from "../args";
import * as path from "path";
import { writeFileAtomic } from "../../io/atomic-write";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk inventory <env>` (or a cdktf app's stack): Ansible inventory from the deployed VMs. */
export const inventoryCommand: Command = {
  name: "inventory",
  summary: "write the Ansible inventory of a deployed environment",
  args: {
    ...STACK_SOURCE_ARGUMENT,
    options: {
      ...APP_OPTIONS,
      out: { type: "string", short: "o", valueName: "FILE", description: 'where to write it (default ansible/inventory/<env or stack>.yml; "-" prints it)' },
    },
  },
  description: `Reads the VMs of the last deploy from the Terraform state (no call to Proxmox VE) and writes an
Ansible inventory: one group per tier; host vars ansible_host (IPv4), tier, stage and
nftables_allowed_inbound (the same firewall intents as the Proxmox firewall). Windows tiers are
left out, with a line saying so: the roles harden Debian 12 guests over SSH.
${APP_SOURCE_HELP}
An app's stack has no tiers: its VMs (templates left out) form one group named after the stack, with
ansible_host (static cloud-init address, else the agent's), proxmox_vmid, proxmox_node and the
cloud-init login as ansible_user. Its state is read wherever its backend keeps it.`,
  async run(args) {
    const source = stackSource(args, "inventory");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { renderInventory, renderStackInventory, tiersLeftOut } =
      require("../../inventory/ansible-inventory") as typeof import("../../inventory/ansible-inventory");
    let name: string;
    let yaml: string;
    let hosts: number;
    if (source.kind === "env") {
      const { readDeployedEnvironment } = require("../../deploy/environment-outputs") as typeof import("../../deploy/environment-outputs");
      const deployed = await readDeployedEnvironment(source.root, source.env);
      const leftOut = tiersLeftOut(deployed.env);
      for (const { tier, reason } of leftOut) console.log(`Left out tier ${tier}: ${reason}.`);
      const included = deployed.vms.filter((vm) => !leftOut.some((t) => t.tier === vm.tier));
      [name, yaml, hosts] = [source.env, renderInventory(deployed.env, deployed.vms), included.length];
    } else {
      const { readDeployedAppStack } = require("../../deploy/app-state") as typeof import("../../deploy/app-state");
      const deployed = await readDeployedAppStack(source.app, source.stack || undefined);
      [name, yaml, hosts] = [deployed.name, renderStackInventory(deployed.name, deployed.vms), deployed.vms.length];
    }
    const out = stringFlag(args, "out", path.join(source.root, "ansible", "inventory", `${name}.yml`)) as string;
    if (out === "-") process.stdout.write(yaml);
    else {
      writeFileAtomic(out, yaml);
      console.log(`Wrote ${path.relative(process.cwd(), out)} (${hosts} hosts).`);
    }
    return 0;
  },
};
