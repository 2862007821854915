import { App, TerraformStack, Testing, Token } from "cdktf";
import { ProxmoxProvider } from "../../.gen/providers/proxmox/provider";
import { VirtualEnvironmentFirewallRules } from "../../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { VirtualEnvironmentVm } from "../../.gen/providers/proxmox/virtual-environment-vm";

describe("provider toolchain", () => {
  it("validates a stack with a VM and a firewall rule set using the real bpg/proxmox provider", () => {
    // GIVEN a stack written with the raw generated bindings
    const app: App = Testing.app();
    const stack = new TerraformStack(app, "toolchain-check");
    new ProxmoxProvider(stack, "proxmox", { endpoint: "https://127.0.0.1:8006/", insecure: false });
    const vm = new VirtualEnvironmentVm(stack, "vm", {
      nodeName: "pve1",
      name: "toolchain-check",
      started: false,
      // network_device is a list-of-objects attribute: Terraform wants every field, null where unset.
      networkDevice: [
        {
          bridge: "vmbr0",
          firewall: true,
          enabled: true,
          disconnected: false,
          model: "virtio",
          macAddress: Token.asString(Token.nullValue()),
          mtu: Token.asNumber(Token.nullValue()),
          queues: Token.asNumber(Token.nullValue()),
          rateLimit: Token.asNumber(Token.nullValue()),
          trunks: Token.asString(Token.nullValue()),
          vlanId: Token.asNumber(Token.nullValue()),
        },
      ],
    });
    new VirtualEnvironmentFirewallRules(stack, "rules", {
      nodeName: "pve1",
      vmId: vm.vmId,
      rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "22", comment: "ssh" }],
    });

    // WHEN it is synthesised
    const outdir = Testing.fullSynth(stack);

    // THEN terraform init (through the mirror or registry) and terraform validate succeed
    expect(outdir).toBeValidTerraform();
  });

  it("rejects a stack the provider schema does not accept", () => {
    const app: App = Testing.app();
    const stack = new TerraformStack(app, "toolchain-negative");
    new ProxmoxProvider(stack, "proxmox", { endpoint: "https://127.0.0.1:8006/" });
    const vm = new VirtualEnvironmentVm(stack, "vm", { nodeName: "pve1" });
    // An attribute bpg/proxmox does not know: only a real schema check can catch this.
    vm.addOverride("not_an_attribute", true);
    expect(Testing.fullSynth(stack)).not.toBeValidTerraform();
  });
});
