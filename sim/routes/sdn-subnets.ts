import type { SimContext } from "../context";
import { assertDigest } from "../firewall/digest";
import { cleanCidr, ipVersion } from "../firewall/ip";
import { parameterError, PveError } from "../pve-error";
import { route, type ApiRequest, type Route } from "../route";
import { requireVnetAccess } from "./sdn-vnets";
import { parsePveBoolean } from "../schema-check";
import { updateSection, sectionOptions } from "../sdn/section";
import { configDigest, sdnSlice, sdnView, type Section } from "../sdn/sdn-store";

const OPTIONS = ["vnet", "gateway", "snat", "dnszoneprefix", "dhcp-range", "dhcp-dns-server"];
const REQUIRED = ["vnet"];

/** `zone-10.0.0.0-24` → its parts; the id encodes zone and CIDR (PVE's sdn_subnets_config). */
function idParts(id: string): { zone: string; network: string; mask: string; cidr: string } {
  const [zone, network, mask] = id.split("-");
  return { zone, network, mask, cidr: `${network}/${mask}` };
}

/** pve_verify_cidrv4/v6 as parse_sdn_subnet_id uses them: an address and a prefix of 8 and more. */
function checkCidr(cidr: string): void {
  const [address, mask] = cidr.split("/");
  const version = ipVersion(address);
  const max = version === 6 ? 128 : 32;
  if (!version || !/^\d+$/.test(mask ?? "") || Number(mask) < 8 || Number(mask) > max) {
    throw parameterError({ subnet: "value does not look like a valid CIDR network" });
  }
}

function inSubnet(address: string, cidr: string): boolean {
  const mask = cidr.split("/")[1];
  return ipVersion(address) === ipVersion(cidr.split("/")[0]) && cleanCidr(`${address}/${mask}`) === cleanCidr(cidr);
}

function ranges(text: string | undefined): Array<Record<string, string>> {
  if (!text) return [];
  return text.split("\0").map((range) => Object.fromEntries(range.split(",").map((kv) => kv.split("=", 2) as [string, string])));
}

/** SubnetPlugin::on_update_hook: the vnet exists and is not VLAN-aware, gateway and DHCP ranges lie inside. */
function checkSubnet(sim: SimContext, id: string, subnet: Readonly<Section>): void {
  const { cidr, mask } = idParts(id);
  const vnet = sdnSlice(sim.state).vnets[subnet.vnet];
  if (!vnet) throw parameterError({ vnet: `${subnet.vnet} don't exist` });
  if (parsePveBoolean(vnet.vlanaware)) throw parameterError({ vnet: "you can't add a subnet on a vlanaware vnet" });
  const gw = subnet.gateway;
  const pointToPoint = gw !== undefined && ipVersion(gw) === 4 && mask === "32";
  if (gw && !inSubnet(gw, cidr) && !pointToPoint) throw parameterError({ gateway: `${gw} is not in subnet ${cidr}` });
  for (const range of ranges(subnet["dhcp-range"])) {
    const [start, end] = [range["start-address"], range["end-address"]];
    if (!start || !ipVersion(start)) throw parameterError({ "dhcp-range": `start-address is not a valid IP ${start}` });
    if (!end || !ipVersion(end)) throw parameterError({ "dhcp-range": `end-address is not a valid IP ${end}` });
    if (!inSubnet(start, cidr)) throw parameterError({ "dhcp-range": `start-address ${start} is not in subnet ${cidr}` });
    if (!inSubnet(end, cidr)) throw parameterError({ "dhcp-range": `end-address ${end} is not in subnet ${cidr}` });
  }
}

/** A subnet as GET answers it: with `cidr`, `zone`, `network`, `mask` and the DHCP ranges as objects. */
function present(view: Record<string, unknown>): Record<string, unknown> {
  const id = String(view.subnet);
  const out: Record<string, unknown> = { ...view, id, ...idParts(id), "dhcp-range": ranges(view["dhcp-range"] as string) };
  const pending = view.pending as Record<string, unknown> | undefined;
  if (pending?.["dhcp-range"] !== undefined && pending["dhcp-range"] !== "deleted") {
    out.pending = { ...pending, "dhcp-range": ranges(pending["dhcp-range"] as string) };
  }
  return out;
}

const AUDIT = ["SDN.Audit", "SDN.Allocate"];
const ALLOCATE = ["SDN.Allocate"];

function listSubnets(req: ApiRequest, sim: SimContext): unknown {
  requireVnetAccess(req, sim, req.params.vnet, AUDIT);
  return Object.values(sdnView(sim.state, "subnets", req.args))
    .filter((s) => s.vnet === req.params.vnet)
    .map(present);
}

function readSubnet(req: ApiRequest, sim: SimContext): unknown {
  requireVnetAccess(req, sim, req.params.vnet, AUDIT);
  const subnet = sdnView(sim.state, "subnets", req.args)[req.params.subnet];
  if (!subnet) throw new PveError(500, `sdn subnet '${req.params.subnet}' does not exist`);
  return present(subnet);
}

/** POST: the id is derived from the vnet's zone and the CIDR (`zone-10.0.0.0-24`). */
function createSubnet(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  const cidr = req.args.subnet;
  requireVnetAccess(req, sim, req.params.vnet, ALLOCATE);
  checkCidr(cidr);
  const args = { ...req.args, vnet: req.params.vnet };
  const zone = slice.vnets[args.vnet]?.zone;
  const id = `${zone}-${cidr.replace("/", "-")}`;
  const subnet: Section = { type: "subnet", ...sectionOptions(args, OPTIONS, REQUIRED, true, ["vnet"]) };
  if (slice.subnets[id]) throw new PveError(500, `sdn subnet object ID '${id}' already defined`);
  checkSubnet(sim, id, subnet);
  slice.subnets[id] = subnet;
  return null;
}

function updateSubnet(req: ApiRequest, sim: SimContext): null {
  const slice = sdnSlice(sim.state);
  requireVnetAccess(req, sim, req.params.vnet, ALLOCATE);
  assertDigest(configDigest(slice.subnets), req.args.digest);
  const id = req.params.subnet;
  if (!slice.subnets[id]) throw new PveError(500, `sdn subnet '${id}' does not exist`);
  const subnet = { ...slice.subnets[id] };
  const changes = sectionOptions({ ...req.args, vnet: req.args.vnet ?? subnet.vnet }, OPTIONS, REQUIRED, false, ["vnet"]);
  updateSection(subnet, changes, req.args.delete, OPTIONS, REQUIRED);
  checkSubnet(sim, id, subnet);
  slice.subnets[id] = subnet;
  return null;
}

function deleteSubnet(req: ApiRequest, sim: SimContext): null {
  requireVnetAccess(req, sim, req.params.vnet, ALLOCATE);
  const slice = sdnSlice(sim.state);
  if (!slice.subnets[req.params.subnet]) throw new PveError(500, `sdn subnet '${req.params.subnet}' does not exist`);
  delete slice.subnets[req.params.subnet];
  return null;
}

/** Subnets of a vnet, addressed by their canonical id `zone-10.0.0.0-24`. */
export const sdnSubnetRoutes: Route[] = [
  route("GET", "/cluster/sdn/vnets/{vnet}/subnets", listSubnets),
  route("POST", "/cluster/sdn/vnets/{vnet}/subnets", createSubnet),
  route("GET", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}", readSubnet),
  route("PUT", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}", updateSubnet),
  route("DELETE", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}", deleteSubnet),
];
