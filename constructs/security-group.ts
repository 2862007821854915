import { Lazy } from "cdktf";
import { Construct } from "constructs";
import {
  VirtualEnvironmentClusterFirewallSecurityGroup,
  VirtualEnvironmentClusterFirewallSecurityGroupRule,
  virtualEnvironmentClusterFirewallSecurityGroupRuleToTerraform,
} from "../.gen/providers/proxmox/virtual-environment-cluster-firewall-security-group";
import { Connections } from "./connections";
import { renderRules, warnIfShadowed } from "./firewall-rule";
import { checkSecurityGroupName } from "./peer";
import { literalText } from "./literal-text";

/** Props of {@link SecurityGroup}. */
export interface SecurityGroupProps {
  /** Group name (at most 18 characters: letters, digits, - and _). */
  readonly name: string;
  /** Comment. @default none */
  readonly comment?: string;
}

/**
 * A cluster security group: a named rule list that guests include with
 * `vm.firewall.addSecurityGroup(group.name)`. Rules are added through `connections`
 * (`group.connections.allowFrom(Peer.cidr("10.0.0.0/8"), Port.SSH)`), rendered like a guest's
 * rules (first-match order kept, see `orderRules`). PVE matches a group's rules at the position of
 * the group in the guest's list.
 */
export class SecurityGroup extends Construct {
  /** Group name. */
  readonly name: string;
  /** Rule intents of the group. A group has no address of its own, so it cannot be a peer. */
  readonly connections: Connections;
  /** The provider resource. */
  readonly resource: VirtualEnvironmentClusterFirewallSecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    checkSecurityGroupName(`SecurityGroup "${id}"`, props.name);
    this.name = props.name;
    this.connections = new Connections({
      peer: () => {
        throw new Error(`SecurityGroup "${id}" has no address: use the IP set or VMs that include it as the peer.`);
      },
      onRule: (rule) => warnIfShadowed(this, this.connections.allRules, rule),
    });
    this.resource = new VirtualEnvironmentClusterFirewallSecurityGroup(
      this,
      "group",
      literalText({
        name: props.name,
        comment: props.comment,
        rule: Lazy.anyValue({
          produce: () => renderRules(this.connections.allRules).map((r): unknown => virtualEnvironmentClusterFirewallSecurityGroupRuleToTerraform(r)),
        }) as unknown as VirtualEnvironmentClusterFirewallSecurityGroupRule[],
      }),
    );
  }
}
