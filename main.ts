/**
 * The cdktf app: `cdktf synth` runs this file. Until the environment specs land, it synthesises a
 * single toolchain-check stack so that `npm start` proves the bindings and provider wiring.
 */
import { App, TerraformStack } from "cdktf";
import { ProxmoxProvider } from "./.gen/providers/proxmox/provider";
import { VirtualEnvironmentFirewallOptions } from "./.gen/providers/proxmox/virtual-environment-firewall-options";

const app = new App();
const stack = new TerraformStack(app, "toolchain-check");
new ProxmoxProvider(stack, "proxmox", {});
new VirtualEnvironmentFirewallOptions(stack, "cluster-default", {
  nodeName: "pve1",
  vmId: 100,
  enabled: true,
  inputPolicy: "DROP",
  outputPolicy: "ACCEPT",
});
app.synth();
