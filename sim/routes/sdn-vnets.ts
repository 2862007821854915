import type { SimContext } from "../context";
import { assertDigest } from "../firewall/digest";
import { parameterError, PveError } from "../pve-error";
import { hasPrivs, requirePrivs } from "../permission-check";
import { route, type ApiRequest, type Route } from "../route";
import { parsePveBoolean } from "../schema-check";
import { updateSection, sectionOptions } from "../sdn/section";
import { configDigest, sdnSlice, sdnView, type SdnSlice, type Section } from "../sdn/sdn-store";
import { checkVnetTag } from "../sdn/zone-types";

const OPTIONS = ["zone", "tag", "alias", "vlanaware", "isolate-ports"];
const REQUIRED = ["zone"];

function randomMac(sim: SimContext): string {
  const bytes = [0xbc, 0x24, 0x11, ...Array.from({ length: 3 }, () => Math.floor(sim.random() * 256))];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** The zone plugin's and the vnet plugin's update hooks for vnet `id` as it would be saved. */
function checkVnet(slice: SdnSlice, id: string, vnet: Section, vnets: Record<string, Section>, sim: SimContext): void {
  const zone = slice.zones[vnet.zone];
  if (!zone) throw new PveError(500, `sdn '${vnet.zone}' does not exist`);
  checkVnetTag((z) => slice.zones[z]?.type, id, vnet, vnets);
  // simple and evpn vnets get a MAC for their gateway, as PVE's hooks generate one
  if ((zone.type === "simple" || zone.type === "evpn") && vnet.mac === undefined) vnet.mac = randomMac(sim);
  if (parsePveBoolean(vnet.vlanaware) && Object.values(slice.subnets).some((s) => s.vnet === id)) {
    throw parameterError({ vlanaware: "vlanaware vnet is not compatible with subnets" });
  }
}

const AUDIT = ["SDN.Audit", "SDN.Allocate"];

/** PVE's check_vnet_access: privileges on `/sdn/zones/<zone>/<vnet>` (any of `privs`). */
export function requireVnetAccess(req: ApiRequest, sim: SimContext, vnetId: string, privs: readonly string[]): void {
  const vnet = sdnSlice(sim.state).vnets[vnetId];
  if (!vnet) throw new PveError(500, `sdn vnet '${vnetId}' does not exist`);
  requirePrivs(req, sim, `/sdn/zones/${vnet.zone}/${vnetId}`, privs, true);
}

function listVnets(req: ApiRequest, sim: SimContext): unknown {
  return Object.values(sdnView(sim.state, "vnets", req.args))
    .filter((v) => hasPrivs(req, sim, `/sdn/zones/${String(v.zone)}/${String(v.vnet)}`, AUDIT, true))
    .sort((a, b) => String(a.vnet).localeCompare(String(b.vnet)));
}

/** GET without flags answers the edited config, which is what bpg/proxmox's vnet resource reads. */
function readVnet(req: ApiRequest, sim: SimContext): unknown {
  if (sdnSlice(sim.state).vnets[req.params.vnet]) requireVnetAccess(req, sim, req.params.vnet, AUDIT);
  const vnet = sdnView(sim.state, "vnets", req.args)[req.params.vnet];
  if (!vnet) throw new PveError(500, `sdn vnet '${req.params.vnet}' does not exist`);
  return vnet;
}

function createVnet(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  const id = req.args.vnet;
  const vnet: Section = { type: "vnet", ...sectionOptions(req.args, OPTIONS, REQUIRED, true, ["zone"]) };
  if (slice.vnets[id]) throw new PveError(500, `sdn vnet object ID '${id}' already defined`);
  checkVnet(slice, id, vnet, { ...slice.vnets, [id]: vnet }, sim);
  slice.vnets[id] = vnet;
  return null;
}

function updateVnet(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  assertDigest(configDigest(slice.vnets), req.args.digest);
  const id = req.params.vnet;
  requireVnetAccess(req, sim, id, ["SDN.Allocate"]);
  const vnet = { ...slice.vnets[id] };
  updateSection(vnet, sectionOptions(req.args, OPTIONS, REQUIRED, false, ["zone"]), req.args.delete, OPTIONS, REQUIRED);
  checkVnet(slice, id, vnet, { ...slice.vnets, [id]: vnet }, sim);
  slice.vnets[id] = vnet;
  return null;
}

function deleteVnet(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  const id = req.params.vnet;
  requireVnetAccess(req, sim, id, ["SDN.Allocate"]);
  if (Object.values(slice.subnets).some((s) => s.vnet === id)) {
    throw parameterError({ vnet: "Can't delete vnet if subnets exists" });
  }
  delete slice.vnets[id];
  return null;
}

/** SDN vnets; a vnet's zone must exist in the edited config, VLAN tags are checked per zone type. */
export const sdnVnetRoutes: Route[] = [
  route("GET", "/cluster/sdn/vnets", listVnets),
  route("POST", "/cluster/sdn/vnets", createVnet),
  route("GET", "/cluster/sdn/vnets/{vnet}", readVnet),
  route("PUT", "/cluster/sdn/vnets/{vnet}", updateVnet),
  route("DELETE", "/cluster/sdn/vnets/{vnet}", deleteVnet),
];
