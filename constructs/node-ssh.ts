import { TerraformIterator, TerraformStack, TerraformVariable } from "cdktf";
import type { ProxmoxProvider } from "../.gen/providers/proxmox/provider";

/** Name of the Terraform variable holding SSH endpoints of nodes (`TF_VAR_proxmox_ssh_nodes`). */
export const SSH_NODES_VARIABLE = "proxmox_ssh_nodes";

/**
 * Lets the deployment say where each node's SSH server is: the provider takes a node's SSH port
 * only from its `ssh { node { name address port } }` block (no environment variable), so the block
 * is built from a variable (`TF_VAR_proxmox_ssh_nodes`, e.g. set for the embedded simulator). Empty
 * by default: the provider then finds each node's address through the API, port 22. The login stays
 * in PROXMOX_VE_SSH_USERNAME / PROXMOX_VE_SSH_PASSWORD (or the agent): nothing secret in the JSON.
 */
export function configureNodeSsh(stack: TerraformStack, provider: ProxmoxProvider): void {
  const nodes = new TerraformVariable(stack, SSH_NODES_VARIABLE, {
    type: "list(object({ name = string, address = string, port = number }))",
    default: [],
    description: "SSH endpoints of the Proxmox VE nodes for uploads (name, address, port); empty = address from the API, port 22.",
  });
  const it = TerraformIterator.fromList(nodes.listValue);
  provider.ssh = { nodeAttribute: it.dynamic({ name: it.getString("name"), address: it.getString("address"), port: it.getNumber("port") }) };
}
