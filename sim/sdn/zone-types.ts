import { parameterError } from "../pve-error";
import type { Section } from "./sdn-store";

/** Options every zone type has (PVE::Network::SDN::Zones::Plugin). */
const COMMON = ["nodes", "mtu", "dns", "reversedns", "dnszone", "ipam"];

/** Per zone type: its options and which of them are required (the plugins' `options`). */
export const ZONE_TYPES: Record<string, { options: readonly string[]; required: readonly string[] }> = {
  simple: { options: [...COMMON, "dhcp"], required: [] },
  vlan: { options: [...COMMON, "bridge", "bridge-disable-mac-learning"], required: ["bridge"] },
  qinq: { options: [...COMMON, "bridge", "bridge-disable-mac-learning", "tag", "vlan-protocol"], required: ["bridge", "tag"] },
  vxlan: { options: [...COMMON, "peers", "fabric", "vxlan-port"], required: [] },
  evpn: {
    options: [
      ...COMMON,
      "controller",
      "vrf-vxlan",
      "mac",
      "exitnodes",
      "exitnodes-primary",
      "exitnodes-local-routing",
      "advertise-subnets",
      "disable-arp-nd-suppression",
      "rt-import",
      "dhcp",
    ],
    required: ["controller", "vrf-vxlan"],
  },
};

/**
 * The zone-type plugin's `vnet_update_hook`: which tag a vnet of its zone must or must not have,
 * and which tags clash (per zone for VLANs, cluster-wide for VXLAN VNIs). Throws PVE's 400.
 */
export function checkVnetTag(
  zoneTypeOf: (zone: string) => string | undefined,
  vnetId: string,
  vnet: Readonly<Section>,
  vnets: Readonly<Record<string, Section>>,
): void {
  const zoneType = zoneTypeOf(vnet.zone);
  const tag = vnet.tag === undefined ? undefined : Number(vnet.tag);
  const sameZone = Object.entries(vnets).filter(([id, other]) => id !== vnetId && other.zone === vnet.zone);
  switch (zoneType) {
    case "simple":
      if (tag !== undefined) throw parameterError({ tag: "vlan tag is not allowed on simple zone" });
      return;
    case "vlan": {
      if (tag === undefined) throw parameterError({ tag: "missing vlan tag" });
      if (tag > 4096) throw parameterError({ tag: "vlan tag max value is 4096" });
      const clash = sameZone.find(([, other]) => other.tag !== undefined && Number(other.tag) === tag);
      if (clash) throw parameterError({ tag: `tag ${tag} already exist in vnet ${clash[0]}` });
      return;
    }
    case "qinq": {
      if (tag !== undefined && tag > 4096) throw parameterError({ tag: "VLAN tag maximal value is 4096" });
      const clash = sameZone.find(([, other]) => (tag === undefined ? other.tag === undefined : Number(other.tag) === tag));
      if (clash && tag !== undefined) throw parameterError({ tag: `tag ${tag} already exist in zone ${vnet.zone} vnet ${clash[0]}` });
      if (clash) throw parameterError({ tag: `tag-less vnet already exists in zone ${vnet.zone} vnet ${clash[0]}` });
      return;
    }
    default: {
      if (tag === undefined) throw parameterError({ tag: "missing vxlan tag" });
      if (tag > 16777215) throw parameterError({ tag: "vxlan tag max value is 16777216" });
      const vxlan = (zone: string): boolean => ["vxlan", "evpn"].includes(zoneTypeOf(zone) ?? "");
      const clash = Object.entries(vnets).find(([id, other]) => id !== vnetId && vxlan(other.zone) && other.tag !== undefined && Number(other.tag) === tag);
      if (clash) throw parameterError({ tag: `tag ${tag} already exist in vnet ${clash[0]}` });
    }
  }
}
