import { LiveFirewall, PveObject } from "./live-snapshot";
import { defined, pveBool, pveText } from "./pve-properties";

/** Which guest a firewall belongs to: the provider's `vm_id` (VMs) or `container_id` (containers). */
export type FirewallOwner = { readonly node: string; readonly vm_id: number } | { readonly node: string; readonly container_id: number };

/** One provider resource the mapper made: its type, construct id and attributes. */
export interface MappedResource {
  readonly id: string;
  readonly type: string;
  readonly attributes: Record<string, unknown>;
}

/**
 * A firewall level's objects as the provider's resources (proxmoxtf/resource/firewall/*.go read
 * functions): options, the rule list, IP sets and aliases. `owner` undefined is the datacenter,
 * whose options are a `proxmox_virtual_environment_cluster_firewall`.
 */
export function firewallResources(fw: LiveFirewall, owner?: FirewallOwner): MappedResource[] {
  const scope = owner
    ? defined({
        node_name: owner.node,
        vm_id: "vm_id" in owner ? owner.vm_id : undefined,
        container_id: "container_id" in owner ? owner.container_id : undefined,
      })
    : {};
  const out: MappedResource[] = [
    owner
      ? { id: "firewall-options", type: "proxmox_virtual_environment_firewall_options", attributes: { ...scope, ...guestOptions(fw.options) } }
      : { id: "firewall-options", type: "proxmox_virtual_environment_cluster_firewall", attributes: clusterOptions(fw.options) },
  ];
  if (fw.rules.length > 0)
    out.push({ id: "firewall-rules", type: "proxmox_virtual_environment_firewall_rules", attributes: { ...scope, rule: fw.rules.map(ruleBlock) } });
  for (const set of fw.ipsets ?? []) {
    out.push({
      id: `ipset-${set.name}`,
      type: "proxmox_virtual_environment_firewall_ipset",
      attributes: defined({
        ...scope,
        name: set.name,
        comment: set.comment,
        cidr: set.entries.map((e) => defined({ name: pveText(e.cidr), nomatch: pveBool(e.nomatch) ?? false, comment: pveText(e.comment) })),
      }),
    });
  }
  for (const a of fw.aliases ?? []) {
    out.push({
      id: `alias-${String(a.name)}`,
      type: "proxmox_virtual_environment_firewall_alias",
      attributes: defined({ ...scope, name: pveText(a.name), cidr: pveText(a.cidr), comment: pveText(a.comment) }),
    });
  }
  return out;
}

/** A security group (`GET /cluster/firewall/groups/{group}`) as `proxmox_virtual_environment_cluster_firewall_security_group`. */
export function securityGroupResource(group: { readonly group: string; readonly comment?: string; readonly rules: readonly PveObject[] }): MappedResource {
  return {
    id: `group-${group.group}`,
    type: "proxmox_virtual_environment_cluster_firewall_security_group",
    attributes: defined({ name: group.group, comment: group.comment, rule: group.rules.map(ruleBlock) }),
  };
}

/**
 * Guest firewall options. `enabled` is written as PVE holds it (absent = 0: off); `input_policy` and
 * `macfilter` only when PVE holds them: absent, pve-firewall applies DROP (Firewall.pm,
 * `generate_tap_rules_direction`: `policy_in || 'DROP'`) and MAC filtering, which is how the rules
 * read an unset value.
 */
function guestOptions(o: PveObject): Record<string, unknown> {
  return defined({
    enabled: pveBool(o.enable) ?? false,
    input_policy: pveText(o.policy_in),
    output_policy: pveText(o.policy_out),
    macfilter: pveBool(o.macfilter),
    ipfilter: pveBool(o.ipfilter),
    dhcp: pveBool(o.dhcp),
    ndp: pveBool(o.ndp),
    radv: pveBool(o.radv),
  });
}

/** Datacenter options: `enable` absent means off (pve-firewall's cluster default). */
function clusterOptions(o: PveObject): Record<string, unknown> {
  return defined({
    enabled: pveBool(o.enable) ?? false,
    input_policy: pveText(o.policy_in),
    output_policy: pveText(o.policy_out),
    ebtables: pveBool(o.ebtables),
  });
}

/**
 * One rule row as the provider's `rule` block: a `group` row inserts a security group (its
 * `action` is the group's name). A row without `enable` counts as enabled, so a rule is never
 * taken for switched off unless PVE says so.
 */
function ruleBlock(r: PveObject): Record<string, unknown> {
  const enabled = pveBool(r.enable) ?? true;
  if (r.type === "group") return defined({ security_group: pveText(r.action), enabled, iface: pveText(r.iface), comment: pveText(r.comment), pos: r.pos });
  return defined({
    type: pveText(r.type),
    action: pveText(r.action),
    enabled,
    source: pveText(r.source),
    dest: pveText(r.dest),
    proto: pveText(r.proto),
    dport: pveText(r.dport),
    sport: pveText(r.sport),
    macro: pveText(r.macro),
    iface: pveText(r.iface),
    log: pveText(r.log),
    comment: pveText(r.comment),
    pos: r.pos,
  });
}
