import { Document, visit } from "yaml";
import type { ResolvedEnvironment } from "../envspec";
import { firewallIntents } from "../stacks/firewall-intents";
import { luksHostVars, luksUnlockVars } from "./data-disk-vars";

/** One VM as the environment stack's `vms` output lists it. */
export interface VmRow {
  readonly name: string;
  readonly id: number;
  readonly node: string;
  readonly ipv4: string;
  readonly tier: string;
}

/** One entry of the nftables role's `nftables_allowed_inbound` (see ansible/roles/nftables). */
export interface InboundAllowance {
  readonly proto: "tcp" | "udp" | "icmp";
  /** Port or `low-high`; absent for icmp. */
  readonly port?: number | string;
  /** Source addresses/CIDRs (IPv4 only, as the spec's intents are); absent would mean any source of IPv4 and IPv6. */
  readonly from?: readonly string[];
  readonly comment: string;
}

/**
 * The host firewall allowances of a tier, from the same intent list as its Proxmox firewall rules
 * (stacks/firewall-intents.ts): a tier source becomes the addresses of that tier's VMs, a CIDR
 * source stays itself. 0.0.0.0/0 stays a source, not "any": the Proxmox rule for it admits IPv4
 * only, and an entry without `from` would open the port to IPv6 as well. Ping is `proto: icmp`,
 * which the role admits as echo-request only.
 */
export function tierAllowances(env: ResolvedEnvironment, tier: string, vms: readonly VmRow[]): InboundAllowance[] {
  return firewallIntents(env)
    .filter((i) => i.tier === tier)
    .map((i) => {
      const source = i.source;
      const from =
        source.kind === "tier"
          ? vms
              .filter((v) => v.tier === source.tier)
              .map((v) => v.ipv4)
              .sort()
          : [source.cidr];
      const s = i.service;
      const port = s.protocol === "icmp" ? {} : { port: s.from === s.to ? s.from : `${s.from}-${s.to}` };
      return { proto: s.protocol, ...port, from, comment: i.comment };
    });
}

/**
 * The tiers the inventory leaves out, each with why: Windows tiers, because the roles of
 * ansible/site.yml harden Debian 12 over SSH and a Windows guest has neither.
 */
export function tiersLeftOut(env: ResolvedEnvironment): { readonly tier: string; readonly reason: string }[] {
  return Object.values(env.tiers)
    .filter((t) => t.os === "windows")
    .map((t) => ({
      tier: t.name,
      reason: "Windows guests: the Ansible roles (ssh_hardening, nftables, …) harden Debian 12 over SSH; manage Windows with your own tooling (WinRM, GPO)",
    }));
}

/**
 * The Ansible inventory of an environment: one group per tier ({@link tiersLeftOut} excepted); each host with its IPv4, tier,
 * stage, guest type, inbound allowances and its encrypted data disks (with the environment's unlock
 * method in the group vars). An adopted guest with a `tier` is a host of that tier with its own guest
 * type and no data disks; one without a tier is in no group. `ansible_user` is the cloud-init user Terraform
 * created on VMs; a container's account is root (PVE puts the spec's SSH keys there, and a
 * container has no cloud-init user), so its hosts log in as root without become.
 */
export function buildInventory(env: ResolvedEnvironment, vms: readonly VmRow[]): Record<string, unknown> {
  const children: Record<string, { hosts: Record<string, unknown> }> = {};
  const leftOut = new Set(tiersLeftOut(env).map((t) => t.tier));
  for (const tier of Object.keys(env.tiers).filter((t) => !leftOut.has(t))) {
    const allowances = tierAllowances(env, tier, vms);
    const hosts: Record<string, unknown> = {};
    const tierIsContainer = env.tiers[tier].kind === "container";
    for (const vm of vms.filter((v) => v.tier === tier)) {
      // An adopted guest brings its own kind and disks: only the tier's VMs have its data disks.
      const adopted = env.adopted?.[vm.name];
      const container = adopted ? adopted.kind === "container" : tierIsContainer;
      const login = container ? { ansible_user: "root", ansible_become: false } : {};
      const luks = container || adopted ? {} : luksHostVars(env.tiers[tier]);
      hosts[vm.name] = {
        ansible_host: vm.ipv4,
        ...login,
        tier,
        stage: env.stage,
        proxmox_vmid: vm.id,
        proxmox_node: vm.node,
        proxmox_guest_type: container ? "lxc" : "qemu",
        nftables_allowed_inbound: allowances,
        ...luks,
      };
    }
    children[tier] = { hosts };
  }
  return {
    all: {
      vars: {
        ansible_user: env.cloudInit.user,
        ansible_become: true,
        ssh_hardening_group_members: [env.cloudInit.user],
        // The unlock method is the environment's; only hosts with encrypted data disks turn the role on.
        ...(Object.values(env.tiers).some((t) => t.kind === "vm" && t.dataDisks.some((d) => d.encrypted)) ? luksUnlockVars(env.dataProtection) : {}),
      },
      children,
    },
  };
}

/** The inventory as YAML, with a header saying where it came from. */
export function renderInventory(env: ResolvedEnvironment, vms: readonly VmRow[]): string {
  return inventoryYaml(`proxmox-cdk inventory ${env.name} from the Terraform outputs`, buildInventory(env, vms));
}

/**
 * An inventory as YAML under a "Generated by" header. Ansible templates inventory values when it uses
 * them, and these are data: a string that holds a `{` (every Jinja delimiter starts with one — a rule
 * comment from the spec may) is tagged `!unsafe`, so it reaches the guest as written and never runs as
 * Jinja (`{{ lookup('pipe', …) }}` would run on the controller). Other strings stay plain for
 * `ansible-inventory --list`; the addresses agents report are checked before (deploy/vm-rows.ts,
 * deploy/app-state.ts) and the names are DNS labels.
 */
function inventoryYaml(generatedBy: string, inventory: Record<string, unknown>): string {
  return `# Generated by ${generatedBy}: do not edit.\n---\n${ansibleDataYaml(inventory)}`;
}

/**
 * Data for Ansible (inventory, extra vars) as YAML, each string value holding a `{` tagged
 * `!unsafe`, so Ansible hands it over as written and never templates it.
 */
export function ansibleDataYaml(data: Record<string, unknown>): string {
  const doc = new Document(data, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(key, node) {
      if (key !== "key" && typeof node.value === "string" && node.value.includes("{")) node.tag = "!unsafe";
    },
  });
  return doc.toString();
}

/** A VM of a cdktf app's stack for the inventory: its row, and its cloud-init login when it sets one. */
export interface AppVmRow extends VmRow {
  readonly user?: string;
}

/**
 * The Ansible inventory of a cdktf app's stack: one group named after the stack (an app has no
 * tiers, stage or firewall intents to derive more from); each host with its IPv4, VM id, node and,
 * when the VM sets one, its cloud-init login as `ansible_user`.
 */
export function buildStackInventory(stack: string, vms: readonly AppVmRow[]): Record<string, unknown> {
  const hosts = Object.fromEntries(
    vms.map((vm) => [vm.name, { ansible_host: vm.ipv4, proxmox_vmid: vm.id, proxmox_node: vm.node, ...(vm.user ? { ansible_user: vm.user } : {}) }]),
  );
  return { all: { vars: { ansible_become: true }, children: { [stack]: { hosts } } } };
}

/** The inventory of an app's stack as YAML, with a header saying where it came from. */
export function renderStackInventory(stack: string, vms: readonly AppVmRow[]): string {
  return inventoryYaml(`proxmox-cdk inventory --stack ${stack} from the Terraform state`, buildStackInventory(stack, vms));
}
