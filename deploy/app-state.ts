import type { VmRow } from "../inventory/ansible-inventory";
import { TerraformCli } from "../terraform/terraform-cli";
import { CdktfApp, synthAppStack } from "./cdktf-app";

/** A VM of a cdktf app's stack, as its Terraform state records it. */
export interface StateVm extends VmRow {
  /** The VM's OS type is Windows (`operating_system.type` win*): RDP instead of SSH. */
  readonly windows: boolean;
  /** The cloud-init login (`initialization.user_account.username`), when the VM sets one. */
  readonly user?: string;
}

/** The VMs a cdktf app's stack has deployed. */
export interface DeployedAppStack {
  /** Stack name. */
  readonly name: string;
  readonly vms: readonly StateVm[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const first = (v: unknown): Json => (Array.isArray(v) && isObject(v[0]) ? v[0] : {});

/** Every managed resource of a `terraform show -json` state, child modules included. */
function stateResources(module: unknown): Json[] {
  if (!isObject(module)) return [];
  const own = Array.isArray(module.resources) ? module.resources.filter(isObject) : [];
  const children = Array.isArray(module.child_modules) ? module.child_modules : [];
  return [...own, ...children.flatMap(stateResources)];
}

/**
 * The IPv4 address to reach a VM at: its static cloud-init address (without the prefix length),
 * else the first address the guest agent reported on an interface other than loopback, else "".
 */
function reachableIpv4(values: Json): string {
  const configured = first(first(first(values.initialization).ip_config).ipv4).address;
  if (typeof configured === "string" && configured !== "" && configured !== "dhcp") return configured.split("/")[0];
  const reported = Array.isArray(values.ipv4_addresses) ? values.ipv4_addresses.flat() : [];
  return reported.find((a): a is string => typeof a === "string" && a !== "" && !a.startsWith("127.")) ?? "";
}

/**
 * The VMs (templates left out) in a state, as `terraform show -json` prints it. `group` is their
 * `tier`: an app's stack has no tiers, so every VM is in the group named after the stack.
 */
export function vmsInState(showJson: Json, group: string): StateVm[] {
  const values = isObject(showJson.values) ? showJson.values : {};
  return stateResources(values.root_module)
    .filter((r) => r.mode === "managed" && r.type === "proxmox_virtual_environment_vm" && isObject(r.values) && r.values.template !== true)
    .map((r) => {
      const v = r.values as Json;
      const user = first(first(v.initialization).user_account).username;
      const os = first(v.operating_system).type;
      return {
        name: String(v.name ?? r.address),
        id: Number(v.vm_id),
        node: String(v.node_name ?? ""),
        ipv4: reachableIpv4(v),
        tier: group,
        windows: typeof os === "string" && os.startsWith("win"),
        ...(typeof user === "string" && user !== "" ? { user } : {}),
      };
    });
}

/**
 * Reads the VMs of a cdktf app's stack from its Terraform state, wherever the stack's backend
 * keeps it (cdktf's default: `terraform.<stack>.tfstate` in the project folder); no call to
 * Proxmox VE. Throws when the stack has no VM in its state.
 */
export async function readDeployedAppStack(app: CdktfApp, stack?: string): Promise<DeployedAppStack> {
  const synthesised = await synthAppStack(app, { stack });
  const tf = new TerraformCli({ workdir: synthesised.workdir });
  await tf.init();
  const vms = vmsInState(await tf.showJson(), synthesised.name);
  if (vms.length === 0) throw new Error(`Stack "${synthesised.name}" has no VMs in its Terraform state: apply it first (\`cdktf deploy ${synthesised.name}\`).`);
  return { name: synthesised.name, vms };
}
