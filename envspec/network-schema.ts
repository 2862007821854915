import { z } from "zod";
import { boundedInt } from "./bounded-int";
import { describeValue } from "./describe-value";
import { bridgeName, sdnId } from "./identifiers";
import { ipv4Address, ipv4Network } from "./ipv4";
import { LIMITS } from "./limits";

const vlan = (description: string) => boundedInt(LIMITS.vlan.min, LIMITS.vlan.max, description);

/** An SDN VNet in a VLAN zone: the stack creates zone, VNet and subnet. */
export const SdnNetworkSchema = z
  .strictObject({
    zone: sdnId("SDN zone id (2..8 characters)."),
    vnet: sdnId("SDN VNet id (2..8 characters)."),
    vlan: vlan("VLAN tag of the VNet (1..4094)."),
    subnet: ipv4Network("IPv4 subnet of the VNet in CIDR form, host bits zero (e.g. 10.30.0.0/24)."),
    gateway: ipv4Address("Gateway address inside the subnet."),
  })
  .describe("Proxmox VE SDN network.");

/** An existing Linux bridge on every node; subnet and gateway are needed only for static `ipv4` pools. */
export const BridgeNetworkSchema = z
  .strictObject({
    name: bridgeName(),
    vlan: vlan("VLAN tag on the bridge (1..4094); omit for untagged.").optional(),
    subnet: ipv4Network("IPv4 subnet on the bridge, needed by tiers with a static ipv4 pool.").optional(),
    gateway: ipv4Address("Gateway on the bridge, needed by tiers with a static ipv4 pool.").optional(),
  })
  .describe("Existing Linux bridge.");

/** The network of the environment: exactly one of `sdn` or `bridge`. */
export const NetworkSchema = z
  .union([z.strictObject({ sdn: SdnNetworkSchema }), z.strictObject({ bridge: BridgeNetworkSchema })], {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `must set exactly one of "sdn" (an SDN VNet: zone, vnet, vlan, subnet, gateway) or "bridge" (name, optional vlan), got ${describeKeys(issue.input)}`,
  })
  .describe("Network of every VM: an SDN VNet (sdn) or an existing bridge (bridge).");

function describeKeys(input: unknown): string {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return describeValue(input);
  const keys = Object.keys(input);
  return keys.length === 0 ? "an empty mapping" : `keys ${keys.map((k) => JSON.stringify(k)).join(", ")}`;
}
