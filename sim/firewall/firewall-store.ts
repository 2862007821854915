import type { SimState } from "../sim-state";
import { dict } from "../dict";

/**
 * One firewall rule as pve-firewall keeps it after parsing its config file: `type`, `action`,
 * `enable` (0/1) always present, optional string fields only when set, `ipversion` derived.
 */
export type FwRule = Record<string, string | number>;

/** An IP alias; stored under its lower-cased name, `name` keeps the spelling it was created with. */
export interface FwAlias {
  name: string;
  cidr: string;
  ipversion: 4 | 6;
  comment?: string;
}

/** One ipset entry. */
export interface FwIpsetEntry {
  cidr: string;
  nomatch?: 1;
  comment?: string;
}

/** The parts every firewall config file (cluster.fw, host.fw, <vmid>.fw) has. */
export interface FwConfig {
  options: Record<string, string | number>;
  rules: FwRule[];
  aliases: Record<string, FwAlias>;
  ipsets: Record<string, FwIpsetEntry[]>;
  ipsetComments: Record<string, string>;
}

/** cluster.fw additionally holds the security groups. */
export interface ClusterFwConfig extends FwConfig {
  groups: Record<string, FwRule[]>;
  groupComments: Record<string, string>;
}

/** The `firewall` slice of the simulator state. */
export interface FirewallSlice {
  cluster: ClusterFwConfig;
  hosts: Record<string, FwConfig>;
  /** Keyed by VMID; VMs and containers share the ID space. */
  guests: Record<string, FwConfig>;
}

/** Where a rule set lives, which decides what verify_rule allows. */
export type RuleEnv = "cluster" | "host" | "vm" | "ct" | "group";

function emptyConfig(): FwConfig {
  return { options: dict(), rules: [], aliases: dict(), ipsets: dict(), ipsetComments: dict() };
}

/** The firewall slice, created empty on first use. */
export function firewallSlice(state: SimState): FirewallSlice {
  return state.slice<FirewallSlice>("firewall", () => ({
    cluster: { ...emptyConfig(), groups: {}, groupComments: {} },
    hosts: {},
    guests: {},
  }));
}

/** The config of one node (created on first use, like PVE's empty host.fw). */
export function hostConfig(state: SimState, node: string): FwConfig {
  const slice = firewallSlice(state);
  return (slice.hosts[node] ??= emptyConfig());
}

/** The config of one VM or container (created on first use, like PVE's empty <vmid>.fw). */
export function guestConfig(state: SimState, vmid: string): FwConfig {
  const slice = firewallSlice(state);
  return (slice.guests[vmid] ??= emptyConfig());
}

/**
 * Removes a guest's firewall config, as PVE does when a VM or container is destroyed
 * (PVE::Firewall::remove_vmfw_conf). For the guest families to call from their destroy task.
 */
export function removeGuestFirewall(state: SimState, vmid: number | string): void {
  delete firewallSlice(state).guests[String(vmid)];
}

/**
 * The config a request addresses, from its schema template and path parameters:
 * `/cluster/firewall/…`, `/nodes/{node}/firewall/…`, `/nodes/{node}/qemu|lxc/{vmid}/firewall/…`.
 */
export function configFor(state: SimState, template: string, params: Readonly<Record<string, string>>): { env: Exclude<RuleEnv, "group">; conf: FwConfig } {
  if (template.startsWith("/cluster/")) return { env: "cluster", conf: firewallSlice(state).cluster };
  if (template.startsWith("/nodes/{node}/qemu/")) return { env: "vm", conf: guestConfig(state, params.vmid) };
  if (template.startsWith("/nodes/{node}/lxc/")) return { env: "ct", conf: guestConfig(state, params.vmid) };
  return { env: "host", conf: hostConfig(state, params.node) };
}
