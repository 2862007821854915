import { loadEnvironment, resolveDefaults, ResolvedEnvironment } from "../envspec";
import * as path from "path";
import { TerraformCli } from "../terraform/terraform-cli";
import type { VmRow } from "../inventory/ansible-inventory";
import { requireStateBackend } from "./state-backend";
import { synthEnvironment } from "./synth-environment";
import { parseVmRows } from "./vm-rows";

/** An environment's spec and the VMs its last deploy recorded. */
export interface DeployedEnvironment {
  readonly env: ResolvedEnvironment;
  readonly vms: readonly VmRow[];
}

/**
 * Reads the `vms` output from the environment's Terraform state (no call to Proxmox VE).
 * Throws when the environment was never deployed.
 */
export async function readDeployedEnvironment(root: string, name: string): Promise<DeployedEnvironment> {
  const env = resolveDefaults(loadEnvironment(path.join(root, "environments", `${name}.yaml`)));
  const { workdir } = synthEnvironment(root, name);
  requireStateBackend(workdir, name);
  const tf = new TerraformCli({ workdir });
  await tf.init();
  const outputs = await tf.outputs();
  if (outputs.vms === undefined) throw new Error(`Environment "${name}" has no deployed VMs in its state: run \`proxmox-cdk up ${name}\` first.`);
  return { env, vms: parseVmRows(outputs.vms.value, `the state of environment "${name}"`) };
}
