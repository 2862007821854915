import { Token } from "cdktf";
import { Construct } from "constructs";
import { VirtualEnvironmentFirewallAlias } from "../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { checkCidr, checkIpv4 } from "./input-checks";
import { INamedFirewallObject, Peer, checkFirewallName } from "./peer";
import { literalText } from "./literal-text";

/** Props of {@link FirewallAlias}. */
export interface FirewallAliasProps {
  /** Alias name (letters, digits, - and _). */
  readonly name: string;
  /** The network (CIDR) or single address (bare, no /32) it stands for; may be a deploy-time token. */
  readonly cidr: string;
  /** Comment. @default none */
  readonly comment?: string;
}

/** A cluster-wide firewall alias: a name for one address or network, usable as `Peer.alias(alias)`. */
export class FirewallAlias extends Construct implements INamedFirewallObject {
  /** Alias name. */
  readonly name: string;
  /** This alias as a rule peer. */
  readonly peer: Peer;

  constructor(scope: Construct, id: string, props: FirewallAliasProps) {
    super(scope, id);
    checkFirewallName(`FirewallAlias "${id}"`, props.name);
    // An address known only at apply (a VM's agent-reported address) is checked by PVE.
    if (!Token.isUnresolved(props.cidr)) {
      if (props.cidr.endsWith("/32")) throw new Error(`FirewallAlias "${id}": write the single address "${props.cidr}" without /32 — PVE stores it bare.`);
      if (props.cidr.includes("/")) checkCidr(`FirewallAlias "${id}"`, "cidr", props.cidr, { network: true });
      else checkIpv4(`FirewallAlias "${id}"`, "cidr", props.cidr);
    }
    this.name = props.name;
    const resource = new VirtualEnvironmentFirewallAlias(this, "alias", literalText({ name: props.name, cidr: props.cidr, comment: props.comment }));
    // Reference the resource's name so that every rule using the alias depends on its creation.
    this.peer = Peer.alias({ name: resource.name, label: props.name });
  }
}
