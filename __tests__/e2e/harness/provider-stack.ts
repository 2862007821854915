import { TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../../.gen/providers/proxmox/provider";

/**
 * An empty stack in a test app with the bpg/proxmox provider configured from the environment
 * (the workdir sets PROXMOX_VE_*), ready for the resources of one end-to-end test.
 */
export function providerStack(name: string): TerraformStack {
  const stack = new TerraformStack(Testing.app(), name);
  new ProxmoxProvider(stack, "proxmox", {});
  return stack;
}
