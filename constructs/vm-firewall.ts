import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { VirtualEnvironmentFirewallOptions } from "../.gen/providers/proxmox/virtual-environment-firewall-options";
import {
  VirtualEnvironmentFirewallRules,
  VirtualEnvironmentFirewallRulesRule,
  virtualEnvironmentFirewallRulesRuleToTerraform,
} from "../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { Connections } from "./connections";
import { renderRules, securityGroupRule, warnIfShadowed } from "./firewall-rule";
import { Peer } from "./peer";
import { literalText } from "./literal-text";

/** Default policy of a guest firewall. */
export type FirewallPolicy = "ACCEPT" | "DROP" | "REJECT";

/** Firewall settings of a guest. Each weakening is reported by the policy pack. */
export interface VmFirewallProps {
  /** PVE firewall on the VM. `false` is reported by rule PVE-FW-001. @default true */
  readonly enabled?: boolean;
  /** Inbound policy. Anything but DROP is reported by rule PVE-FW-003. @default "DROP" */
  readonly inboundPolicy?: FirewallPolicy;
  /** Outbound policy; DROP restricts egress, and `allowTo` then opens the egress side too. @default "ACCEPT" */
  readonly outboundPolicy?: FirewallPolicy;
  /** MAC address filter (guests cannot spoof another MAC). @default true */
  readonly macFilter?: boolean;
}

/** Where a guest firewall lives. */
export interface VmFirewallTarget {
  readonly node: string;
  readonly vmId: number;
  /** A container's firewall is addressed by `container_id`, a VM's by `vm_id`. @default "vm" */
  readonly guest?: "vm" | "container";
  /** How other rules address this guest. */
  readonly peer: () => Peer;
  /**
   * True when the guest gets its address by DHCP: the firewall must then let DHCP through, or an
   * enabled VM firewall with inbound DROP blocks the server's replies and the guest has no address.
   * @default false
   */
  readonly dhcp?: boolean;
}

/**
 * The firewall of one guest: options (enabled, DROP in / ACCEPT out by default) and a rule list
 * that is created only once a rule or security group is added. Rules render in PVE's first-match
 * meaning of the order they were added in (see `orderRules`); security groups come first, so
 * their rules are matched before the guest's own.
 */
export class VmFirewall extends Construct {
  /** Intent API for this guest's rules. */
  readonly connections: Connections;
  /** The options resource. */
  readonly options: VirtualEnvironmentFirewallOptions;
  private readonly groups: string[] = [];
  private rulesResource?: VirtualEnvironmentFirewallRules;

  constructor(
    scope: Construct,
    id: string,
    private readonly target: VmFirewallTarget,
    props: VmFirewallProps = {},
  ) {
    super(scope, id);
    const outbound = props.outboundPolicy ?? "ACCEPT";
    this.options = new VirtualEnvironmentFirewallOptions(
      this,
      "options",
      literalText({
        nodeName: target.node,
        ...guestId(target),
        enabled: props.enabled ?? true,
        inputPolicy: props.inboundPolicy ?? "DROP",
        outputPolicy: outbound,
        macfilter: props.macFilter ?? true,
        dhcp: target.dhcp ?? false,
      }),
    );
    this.connections = new Connections({
      peer: target.peer,
      egressRestricted: outbound !== "ACCEPT",
      onRule: (rule) => {
        this.ensureRules();
        warnIfShadowed(this, this.connections.allRules, rule);
      },
    });
  }

  /** Inserts a cluster security group (by name) at the top of this guest's rules. */
  addSecurityGroup(groupName: string): void {
    if (!this.groups.includes(groupName)) this.groups.push(groupName);
    this.ensureRules();
  }

  /** The rules as they will be synthesised: security groups first (sorted), then the rules in `orderRules` order. */
  renderedRules(): VirtualEnvironmentFirewallRulesRule[] {
    return [...[...this.groups].sort().map((g) => securityGroupRule(g)), ...renderRules(this.connections.allRules)];
  }

  /**
   * Manages the guest's whole rule list even when no rule is added: rules of an adopted guest
   * that no intent allows are then removed, instead of living on unseen.
   */
  manageAllRules(): VirtualEnvironmentFirewallRules {
    return this.ensureRules();
  }

  private ensureRules(): VirtualEnvironmentFirewallRules {
    if (this.rulesResource) return this.rulesResource;
    this.rulesResource = new VirtualEnvironmentFirewallRules(
      this,
      "rules",
      literalText({
        nodeName: this.target.node,
        ...guestId(this.target),
        // Rules keep arriving after construction (allowFrom on later VMs), so the list is produced at
        // synth time — already in Terraform's snake_case, since a lazy value bypasses the binding's mapper.
        rule: Lazy.anyValue({
          produce: () => this.renderedRules().map((r): unknown => virtualEnvironmentFirewallRulesRuleToTerraform(r)),
        }) as unknown as VirtualEnvironmentFirewallRulesRule[],
        dependsOn: [this.options],
      }),
    );
    return this.rulesResource;
  }
}

/** The attribute naming the guest of a firewall resource. */
function guestId(target: VmFirewallTarget): { vmId: number } | { containerId: number } {
  return target.guest === "container" ? { containerId: target.vmId } : { vmId: target.vmId };
}
