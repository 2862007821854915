import { Lazy, Token } from "cdktf";
import { Construct } from "constructs";
import {
  VirtualEnvironmentFirewallIpset,
  VirtualEnvironmentFirewallIpsetCidr,
  virtualEnvironmentFirewallIpsetCidrToTerraform,
} from "../.gen/providers/proxmox/virtual-environment-firewall-ipset";
import { checkCidr, checkIpv4 } from "./input-checks";
import { INamedFirewallObject, Peer, checkFirewallName } from "./peer";
import { literalText } from "./literal-text";

/** One entry of an IP set. */
export interface IpSetEntry {
  /** Address or network (CIDR). */
  readonly cidr: string;
  /** Comment. @default none */
  readonly comment?: string;
  /** Exclude this entry from the set (`nomatch`). @default false */
  readonly nomatch?: boolean;
}

/** Props of {@link FirewallIpSet}. */
export interface FirewallIpSetProps {
  /** IP set name (letters, digits, - and _). */
  readonly name: string;
  /** Initial entries; more can be added with `addCidr`. @default [] */
  readonly entries?: readonly IpSetEntry[];
  /** Comment. @default none */
  readonly comment?: string;
  /** The name rules show in comments and sort by, when `name` carries a version. @default name */
  readonly label?: string;
  /**
   * Create a replacement before the set it replaces is deleted, so that rules move to the new set
   * first. Only for a set that depends on nothing Terraform may replace (literal entries):
   * Terraform gives every dependency of such a set the same ordering, and a VM created before its
   * predecessor is deleted would ask PVE for the id the predecessor still holds.
   * @default false
   */
  readonly createBeforeDestroy?: boolean;
}

/** A cluster-wide firewall IP set, usable as `Peer.ipset(set)`; entries are emitted in a stable order. */
export class FirewallIpSet extends Construct implements INamedFirewallObject {
  /** IP set name. */
  readonly name: string;
  /** This set as a rule peer (`+name`). */
  readonly peer: Peer;
  private readonly entries: IpSetEntry[] = [];

  constructor(scope: Construct, id: string, props: FirewallIpSetProps) {
    super(scope, id);
    checkFirewallName(`FirewallIpSet "${id}"`, props.name);
    this.name = props.name;
    for (const e of props.entries ?? []) this.addCidr(e.cidr, e.comment, e.nomatch);
    const resource = new VirtualEnvironmentFirewallIpset(
      this,
      "ipset",
      literalText({
        name: props.name,
        comment: props.comment,
        cidr: Lazy.anyValue({
          produce: () => this.sortedEntries().map((c): unknown => virtualEnvironmentFirewallIpsetCidrToTerraform(c)),
        }) as unknown as VirtualEnvironmentFirewallIpsetCidr[],
        ...(props.createBeforeDestroy ? { lifecycle: { createBeforeDestroy: true } } : {}),
      }),
    );
    if (props.createBeforeDestroy) {
      this.node.addValidation({
        validate: () =>
          this.entries.some((e) => Token.isUnresolved(e.cidr))
            ? [
                `FirewallIpSet "${id}": createBeforeDestroy needs literal entries — an entry known only at apply makes the set depend on a VM, which Terraform would then also create before destroying.`,
              ]
            : [],
      });
    }
    // Reference the resource's name so that every rule using the set depends on its creation.
    this.peer = Peer.ipset({ name: resource.name, label: props.label ?? props.name });
  }

  /** Adds a network (CIDR, host bits zero) or a single address (bare, without /32). */
  addCidr(cidr: string, comment?: string, nomatch?: boolean): void {
    const owner = `FirewallIpSet "${this.node.id}"`;
    if (!Token.isUnresolved(cidr)) {
      if (cidr.endsWith("/32")) throw new Error(`${owner}: write the single address "${cidr}" without /32 — PVE stores it bare.`);
      if (cidr.includes("/")) checkCidr(owner, "cidr", cidr, { network: true });
      else checkIpv4(owner, "cidr", cidr);
    }
    if (!this.entries.some((e) => e.cidr === cidr)) this.entries.push({ cidr, comment, nomatch });
  }

  /**
   * Literal entries sorted by address, then entries known only at apply (VM addresses) in the order
   * they were added: the same order on every synth, whatever numbers their tokens got. (Before
   * proxmox-cdk sorted those by their token text, whose order shifted whenever another token was
   * created earlier; stacks deployed then see their IP sets' entries re-ordered once.)
   */
  private sortedEntries(): VirtualEnvironmentFirewallIpsetCidr[] {
    const literal = this.entries.filter((e) => !Token.isUnresolved(e.cidr)).sort((a, b) => (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : 0));
    return [...literal, ...this.entries.filter((e) => Token.isUnresolved(e.cidr))].map((e) => ({
      name: e.cidr,
      comment: e.comment,
      ...(e.nomatch ? { nomatch: true } : {}),
    }));
  }
}
