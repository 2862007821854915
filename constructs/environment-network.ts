import { Construct } from "constructs";
import { SdnApplier } from "../.gen/providers/proxmox/sdn-applier";
import { SdnSubnet } from "../.gen/providers/proxmox/sdn-subnet";
import { SdnVnet } from "../.gen/providers/proxmox/sdn-vnet";
import { SdnZoneVlan } from "../.gen/providers/proxmox/sdn-zone-vlan";
import { checkCidr, checkIntRange, checkIpv4 } from "./input-checks";
import { literalText } from "./literal-text";

/** Props of {@link EnvironmentNetwork}. */
export interface EnvironmentNetworkProps {
  /** VLAN tag of the environment (1-4094). */
  readonly vlanId: number;
  /** Use PVE SDN (vlan zone + vnet + subnet + apply) rather than a bare bridge + VLAN tag. @default true */
  readonly sdn?: boolean;
  /** Physical (VLAN-aware) bridge the zone or the tagged NICs sit on. @default "vmbr0" */
  readonly bridge?: string;
  /** SDN zone id (at most 8 lowercase letters/digits). @default "envs" */
  readonly zoneId?: string;
  /** SDN vnet id (at most 8 lowercase letters/digits). @default "v<vlanId>" */
  readonly vnetId?: string;
  /** Subnet of the environment (CIDR, network address). Required with SDN. @default none */
  readonly subnet?: string;
  /** Gateway inside the subnet. @default none */
  readonly gateway?: string;
  /** Nodes the zone spans. @default all nodes */
  readonly nodes?: readonly string[];
}

const SDN_ID = /^[a-z][a-z0-9]{0,7}$/;

/**
 * VLAN segmentation for one environment. With SDN: a vlan zone, a vnet carrying the tag, a subnet
 * and an applier; guests attach to the vnet and need no tag. Without: guests attach to the bridge
 * with the VLAN tag on their NIC.
 */
export class EnvironmentNetwork extends Construct {
  /** What a guest NIC attaches to: the vnet id (SDN) or the bridge. */
  readonly bridge: string;
  /** VLAN tag a guest NIC must carry: undefined with SDN (the vnet tags), the tag otherwise. */
  readonly nicVlanId?: number;
  /** The subnet, when given. */
  readonly subnet?: string;
  /** The SDN applier (SDN only); guests attached to the vnet should depend on it. */
  readonly applier?: SdnApplier;

  constructor(scope: Construct, id: string, props: EnvironmentNetworkProps) {
    super(scope, id);
    const owner = `EnvironmentNetwork "${id}"`;
    checkIntRange(owner, "vlanId", props.vlanId, 1, 4094);
    if (props.subnet) checkCidr(owner, "subnet", props.subnet, { network: true });
    if (props.gateway) checkIpv4(owner, "gateway", props.gateway);
    this.subnet = props.subnet;
    const bridge = props.bridge ?? "vmbr0";
    if (props.sdn === false) {
      this.bridge = bridge;
      this.nicVlanId = props.vlanId;
      return;
    }
    const zoneId = props.zoneId ?? "envs";
    const vnetId = props.vnetId ?? `v${props.vlanId}`;
    for (const [field, value] of [
      ["zoneId", zoneId],
      ["vnetId", vnetId],
    ]) {
      if (!SDN_ID.test(value)) {
        throw new Error(`${owner}: ${field} "${value}" must be 1-8 lowercase letters or digits, starting with a letter (PVE SDN ids).`);
      }
    }
    if (!props.subnet) throw new Error(`${owner}: subnet is required with SDN (e.g. "10.20.0.0/24"), or set sdn: false.`);
    // PVE SDN changes stay pending until applied. The finalizer is created before and destroyed after
    // the SDN objects, so `terraform destroy` applies their deletion too; the applier re-applies
    // whenever one of them changes (the provider's documented pattern).
    const finalizer = new SdnApplier(this, "finalize", literalText({}));
    const zone = new SdnZoneVlan(
      this,
      "zone",
      literalText({
        id: zoneId,
        bridge,
        ...(props.nodes ? { nodes: [...props.nodes] } : {}),
        dependsOn: [finalizer],
      }),
    );
    const vnet = new SdnVnet(this, "vnet", literalText({ id: vnetId, zone: zone.id, tag: props.vlanId, dependsOn: [finalizer] }));
    const subnet = new SdnSubnet(
      this,
      "subnet",
      literalText({
        vnet: vnet.id,
        cidr: props.subnet,
        gateway: props.gateway,
        dependsOn: [finalizer],
      }),
    );
    const objects = [zone, vnet, subnet];
    // Addresses, not resource references: Terraform JSON refuses interpolations in lifecycle blocks.
    const address = (r: { terraformResourceType: string; friendlyUniqueId: string }) => `${r.terraformResourceType}.${r.friendlyUniqueId}`;
    this.applier = new SdnApplier(this, "apply", literalText({ dependsOn: objects, lifecycle: { replaceTriggeredBy: objects.map(address) } }));
    this.bridge = vnet.id;
    this.nicVlanId = undefined;
  }
}
