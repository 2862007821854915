import { NODE_NAME } from "../envspec/identifiers";
import { parseIpv4 } from "../envspec/ipv4";
import type { VmRow } from "../inventory/ansible-inventory";
import { STACK_NAME } from "./app-manifest";
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

/** A VM name as PVE allows it (pve-common's `dns-name` format). */
const VM_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** A cloud-init login as useradd takes it. */
const LOGIN = /^[a-z_][a-z0-9_-]{0,31}$/;
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
  const isIpv4 = (a: unknown): a is string => typeof a === "string" && parseIpv4(a) !== undefined;
  const configured = first(first(first(values.initialization).ip_config).ipv4).address;
  const address = typeof configured === "string" ? configured.split("/")[0] : undefined;
  if (isIpv4(address)) return address;
  // The agent's addresses are what the guest says: only well-formed IPv4 addresses are taken.
  const reported = Array.isArray(values.ipv4_addresses) ? values.ipv4_addresses.flat() : [];
  return reported.find((a): a is string => isIpv4(a) && !a.startsWith("127.")) ?? "";
}

/**
 * The VMs (templates left out) in a state, as `terraform show -json` prints it. `group` is their
 * `tier`: an app's stack has no tiers, so every VM is in the group named after the stack. Every
 * value is checked before an inventory, a report or a probe uses it: a name, node, id or login that
 * is not one is refused, naming the resource; an address that is not IPv4 is not taken.
 */
export function vmsInState(showJson: Json, group: string): StateVm[] {
  if (!STACK_NAME.test(group))
    throw new Error(`stack name ${JSON.stringify(group).slice(0, 80)} cannot name an inventory group: use letters, digits, _ . - only.`);
  const values = isObject(showJson.values) ? showJson.values : {};
  return stateResources(values.root_module)
    .filter((r) => r.mode === "managed" && r.type === "proxmox_virtual_environment_vm" && isObject(r.values) && r.values.template !== true)
    .map((r) => {
      const v = r.values as Json;
      const where = `state of stack "${group}": ${String(r.address).slice(0, 200)}`;
      const text = (value: unknown, ok: RegExp, what: string): string => {
        if (typeof value !== "string" || !ok.test(value))
          throw new Error(`${where}: ${what} must be ${ok === LOGIN ? "a login name" : "a DNS name"}, got ${JSON.stringify(value)?.slice(0, 80)}.`);
        return value;
      };
      const id = v.vm_id;
      if (typeof id !== "number" || !Number.isInteger(id) || id < 100 || id > 999_999_999)
        throw new Error(`${where}: vm_id must be a VM id (100..999999999), got ${JSON.stringify(id)?.slice(0, 80)}.`);
      const user = first(first(v.initialization).user_account).username;
      const os = first(v.operating_system).type;
      return {
        name: text(v.name, VM_NAME, "name"),
        id,
        node: text(v.node_name, NODE_NAME, "node_name"),
        ipv4: reachableIpv4(v),
        tier: group,
        windows: typeof os === "string" && os.startsWith("win"),
        ...(user === undefined || user === "" ? {} : { user: text(user, LOGIN, "initialization.user_account.username") }),
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
  if (vms.length === 0)
    throw new Error(`Stack "${synthesised.name}" has no VMs in its Terraform state: apply it first (\`cdktf deploy ${synthesised.name}\`).`);
  return { name: synthesised.name, vms };
}
