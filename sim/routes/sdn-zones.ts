import type { SimContext } from "../context";
import { assertDigest } from "../firewall/digest";
import { parameterError, PveError } from "../pve-error";
import { hasPrivs } from "../permission-check";
import { route, type ApiRequest, type Route } from "../route";
import { updateSection, sectionOptions } from "../sdn/section";
import { configDigest, IPAMS, sdnSlice, sdnView, type Section } from "../sdn/sdn-store";
import { ZONE_TYPES } from "../sdn/zone-types";

function zoneType(type: string): (typeof ZONE_TYPES)[string] {
  const plugin = ZONE_TYPES[type];
  if (!plugin) throw new PveError(500, `unknown section type '${type}'`);
  return plugin;
}

/** The zone checks of create and update: referenced IPAM and DNS plugins must exist. */
function checkReferences(zone: Readonly<Section>): void {
  if (zone.dns) throw parameterError({ dns: `${zone.dns} don't exist` });
  if (zone.reversedns) throw parameterError({ reversedns: `${zone.reversedns} don't exist` });
  if (zone.dnszone) throw parameterError({ dnszone: "missing dns server" });
  if (zone.ipam && !IPAMS.includes(zone.ipam)) throw parameterError({ ipam: `${zone.ipam} not existing` });
}

function listZones(req: ApiRequest, sim: SimContext): unknown {
  return Object.values(sdnView(sim.state, "zones", req.args))
    .filter((zone) => !req.args.type || zone.type === req.args.type)
    .filter((zone) => hasPrivs(req, sim, `/sdn/zones/${String(zone.zone)}`, ["SDN.Audit", "SDN.Allocate"], true))
    .sort((a, b) => String(a.zone).localeCompare(String(b.zone)));
}

/**
 * GET with `pending=1` (what bpg/proxmox reads) answers the pending view: an unapplied zone has
 * only `type` on top and its options under `pending`, with `state: "new"`.
 */
function readZone(req: ApiRequest, sim: SimContext): unknown {
  const zone = sdnView(sim.state, "zones", req.args)[req.params.zone];
  if (!zone) throw new PveError(500, `sdn '${req.params.zone}' does not exist`);
  return zone;
}

function createZone(req: ApiRequest, sim: SimContext): null {
  const { zones } = sdnSlice(sim.state);
  const plugin = zoneType(req.args.type);
  const id = req.args.zone;
  const zone = { type: req.args.type, ...sectionOptions(req.args, plugin.options, plugin.required, true) };
  if (zones[id]) throw new PveError(500, `sdn zone object ID '${id}' already defined`);
  checkReferences(zone);
  zones[id] = zone;
  return null;
}

function updateZone(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  assertDigest(configDigest(slice.zones), req.args.digest);
  const id = req.params.zone;
  const zone = slice.zones[id];
  if (!zone) throw new PveError(500, `sdn '${id}' does not exist`);
  const plugin = zoneType(zone.type);
  const changes = sectionOptions(req.args, plugin.options, plugin.required, false);
  const oldIpam = zone.ipam;
  const updated = { ...zone };
  updateSection(updated, changes, req.args.delete, plugin.options, plugin.required);
  if ((updated.ipam ?? "") !== (oldIpam ?? "") && Object.values(slice.subnets).some((s) => s.zone === id)) {
    throw parameterError({ ipam: "can't change ipam if a subnet is already defined in this zone" });
  }
  checkReferences(updated);
  slice.zones[id] = updated;
  return null;
}

function deleteZone(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  const id = req.params.zone;
  if (!slice.zones[id]) throw new PveError(500, `sdn '${id}' does not exist`);
  const user = Object.keys(slice.vnets).find((vnet) => slice.vnets[vnet].zone === id);
  if (user) throw new PveError(500, `zone ${id} is used by vnet ${user}`);
  delete slice.zones[id];
  return null;
}

/** SDN zones (simple, vlan, qinq, vxlan, evpn); changes stay pending until `PUT /cluster/sdn`. */
export const sdnZoneRoutes: Route[] = [
  route("GET", "/cluster/sdn/zones", listZones),
  route("POST", "/cluster/sdn/zones", createZone),
  route("GET", "/cluster/sdn/zones/{zone}", readZone),
  route("PUT", "/cluster/sdn/zones/{zone}", updateZone),
  route("DELETE", "/cluster/sdn/zones/{zone}", deleteZone),
];
