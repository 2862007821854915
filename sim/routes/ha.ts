import { objectDigest } from "../firewall/digest";
import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import { haMigrate } from "../qemu/vm-migration";
import { findVm } from "../qemu/vm-store";
import { findCt } from "../lxc/ct-store";
import { route, type ApiRequest, type Route } from "../route";
import { parsePveBoolean } from "../schema-check";
import type { SimState } from "../sim-state";
import { dict, has, own } from "../dict";

type Section = Record<string, string>;

/** The `ha` slice: resources.cfg and rules.cfg (PVE 9, HA groups already migrated to rules). */
interface HaSlice {
  resources: Record<string, Section>;
  rules: Record<string, Section>;
  ruleOrder: Record<string, number>;
}

function haSlice(state: SimState): HaSlice {
  return state.slice<HaSlice>("ha", () => ({ resources: {}, rules: {}, ruleOrder: {} }));
}

const RESOURCE_OPTIONS = ["comment", "failback", "group", "max_relocate", "max_restart", "state"];
const RULE_OPTIONS = ["comment", "disable", "resources", "nodes", "strict", "affinity"];
const NUMBERS = new Set(["failback", "max_relocate", "max_restart", "disable", "strict"]);
const MIGRATED = "ha groups have been migrated to rules";

function typed(section: Section): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(section)) {
    out[key] = NUMBERS.has(key) ? (/^\d+$/.test(value) ? Number(value) : parsePveBoolean(value) ? 1 : 0) : value;
  }
  return out;
}

/** PVE::HA::Config::parse_sid: `100` → `vm:100` when the VM exists; `type:name` as is. */
function parseSid(state: SimState, sid: string): { sid: string; type: string; name: string } {
  if (/^\d+$/.test(sid)) {
    if (!findVm(state, Number(sid))) throw new PveError(500, `unable to detect SID from VMID - VM/CT ${sid} does not exist`);
    return { sid: `vm:${sid}`, type: "vm", name: sid };
  }
  const m = /^(\S+):(\S+)$/.exec(sid);
  if (!m) throw new PveError(500, `unable to parse service id '${sid}'`);
  return { sid, type: m[1], name: m[2] };
}

function resourceView(slice: HaSlice, sid: string): Record<string, unknown> {
  const conf = own(slice.resources, sid);
  if (!conf) throw new PveError(500, `no such resource '${sid}'`);
  return { ...typed(conf), sid, type: sid.split(":")[0], digest: objectDigest(slice.resources) };
}

function options(args: Readonly<Record<string, string>>, names: readonly string[]): Section {
  const out: Section = dict();
  for (const name of names) if (args[name] !== undefined) out[name] = args[name];
  return out;
}

function listResources(req: ApiRequest, sim: SimContext): unknown {
  const slice = haSlice(sim.state);
  return Object.keys(slice.resources)
    .filter((sid) => !req.args.type || sid.startsWith(`${req.args.type}:`))
    .map((sid) => resourceView(slice, sid));
}

function readResource(req: ApiRequest, sim: SimContext): unknown {
  return resourceView(haSlice(sim.state), parseSid(sim.state, req.params.sid).sid);
}

/** POST: the guest must exist and be of the sid's type; `group` is refused once groups migrated. */
function createResource(req: ApiRequest, sim: SimContext): null {
  const { sid, type, name } = parseSid(sim.state, req.args.sid);
  if (req.args.type && req.args.type !== type) throw new PveError(500, "types does not match");
  if (req.args.group !== undefined) throw new PveError(500, `invalid parameter 'group': ${MIGRATED}`);
  if (type !== "vm" && type !== "ct") throw new PveError(500, `unknown resource type '${type}'`);
  if (!/^\d+$/.test(name) || Number(name) < 100) throw new PveError(500, `invalid VMID '${name}'`);
  // PVE::HA::Resources::PVEVM / PVECT `exists`: a VM's or a container's config file on some node.
  const exists = type === "ct" ? findCt(sim.state, Number(name)) : findVm(sim.state, Number(name));
  if (!exists) throw new PveError(500, `resource '${sid}' does not exist in cluster`);
  const slice = haSlice(sim.state);
  if (has(slice.resources, sid)) throw new PveError(500, `resource ID '${sid}' already defined`);
  slice.resources[sid] = options(req.args, RESOURCE_OPTIONS);
  return null;
}

function updateResource(req: ApiRequest, sim: SimContext): null {
  const { sid, type } = parseSid(sim.state, req.params.sid);
  if (req.args.type && req.args.type !== type) throw new PveError(500, "types does not match");
  if (req.args.group) throw new PveError(500, `invalid parameter 'group': ${MIGRATED}`);
  const slice = haSlice(sim.state);
  if (req.args.digest && req.args.digest !== objectDigest(slice.resources)) {
    throw new PveError(500, "detected modified configuration - file changed by other user? Try again.");
  }
  const conf = own(slice.resources, sid);
  if (!conf) throw new PveError(500, `no such resource '${sid}'`);
  Object.assign(conf, options(req.args, RESOURCE_OPTIONS));
  for (const key of splitList(req.args.delete ?? "")) {
    if (!RESOURCE_OPTIONS.includes(key)) throw new PveError(500, `no such option '${key}'`);
    delete conf[key];
  }
  return null;
}

/** DELETE: with `purge` (the default) the resource also leaves every rule; emptied rules go. */
function deleteResource(req: ApiRequest, sim: SimContext): null {
  const { sid } = parseSid(sim.state, req.params.sid);
  const slice = haSlice(sim.state);
  if (!has(slice.resources, sid)) throw new PveError(500, `cannot delete service '${sid}', not HA managed!`);
  delete slice.resources[sid];
  if (parsePveBoolean(req.args.purge) ?? true) purgeFromRules(slice, sid);
  return null;
}

/**
 * `POST /cluster/ha/resources/{sid}/migrate` (pve-ha-manager `API2::HA::Resources` `migrate`):
 * the resource must be HA managed; the CRM command is queued and answered with the sid and the
 * requested node. The simulated HA manager acts on it at once (see `haMigrate`). PVE 9's
 * resource-affinity rules (`comigrated-resources`, `blocking-resources`) are not evaluated.
 */
function migrateResource(req: ApiRequest, sim: SimContext): unknown {
  const { sid, type, name } = parseSid(sim.state, req.params.sid);
  const target = req.args.node;
  if (!own(haSlice(sim.state).resources, sid)) throw new PveError(500, `resource '${sid}' is not HA managed`);
  if (!sim.settings.nodes.includes(target)) throw new PveError(500, `no such cluster node '${target}'`);
  if (type === "vm") haMigrate(sim, Number(name), target);
  return { sid, "requested-node": target };
}

function purgeFromRules(slice: HaSlice, sid: string): void {
  for (const [id, rule] of Object.entries(slice.rules)) {
    const rest = splitList(rule.resources ?? "").filter((r) => r !== sid);
    if (rest.length) rule.resources = rest.join(",");
    else {
      delete slice.rules[id];
      delete slice.ruleOrder[id];
    }
  }
}

/**
 * Removes a destroyed guest from HA (resources and rules), as PVE's `purge` on VM destroy does.
 * For the guest families to call from their destroy task.
 */
export function removeGuestFromHa(state: SimState, vmid: number | string): void {
  const slice = haSlice(state);
  for (const sid of [`vm:${vmid}`, `ct:${vmid}`]) {
    if (!slice.resources[sid]) continue;
    delete slice.resources[sid];
    purgeFromRules(slice, sid);
  }
}

/** Rule values as PVE encodes them back: sorted resources, sorted `node[:priority]` list. */
function normalizeRule(settingsNodes: readonly string[], rule: Section, slice: HaSlice): void {
  if (rule.resources !== undefined) {
    const sids = [...new Set(splitList(rule.resources))].sort();
    if (!sids.length) throw new PveError(500, "no resources were specified");
    const unmanaged = sids.filter((sid) => !slice.resources[sid]);
    if (unmanaged.length) throw new PveError(500, `cannot use unmanaged resource(s) ${unmanaged.join(", ")}.`);
    rule.resources = sids.join(",");
  }
  if (rule.nodes !== undefined) {
    const entries = splitList(rule.nodes).map((n) => n.split(":"));
    if (!entries.length) throw new PveError(500, "no nodes were specified");
    const unknown = entries
      .map(([n]) => n)
      .filter((n) => !settingsNodes.includes(n))
      .sort();
    if (unknown.length) throw new PveError(500, `cannot use non-existent node(s) ${unknown.join(", ")}.`);
    rule.nodes = entries
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([n, prio]) => (prio && Number(prio) ? `${n}:${Number(prio)}` : n))
      .join(",");
  }
  if (rule.disable !== undefined && !parsePveBoolean(rule.disable)) delete rule.disable;
}

function ruleView(slice: HaSlice, id: string): Record<string, unknown> {
  const rule = slice.rules[id];
  if (!rule) throw new PveError(500, `no such ha rule '${id}'`);
  return { ...typed(rule), rule: id, order: slice.ruleOrder[id], digest: objectDigest(slice.rules) };
}

function listRules(req: ApiRequest, sim: SimContext): unknown {
  const slice = haSlice(sim.state);
  return Object.keys(slice.rules)
    .sort((a, b) => slice.ruleOrder[a] - slice.ruleOrder[b])
    .filter((id) => !req.args.type || slice.rules[id].type === req.args.type)
    .filter((id) => !req.args.resource || splitList(slice.rules[id].resources ?? "").includes(req.args.resource))
    .map((id) => ruleView(slice, id));
}

function createRule(req: ApiRequest, sim: SimContext): null {
  const slice = haSlice(sim.state);
  const id = req.args.rule;
  if (slice.rules[id]) throw new PveError(500, `HA rule '${id}' already defined`);
  const type = req.args.type;
  // SectionConfig::check_config of the rule type's plugin
  const foreign = type === "node-affinity" ? ["affinity"] : ["nodes", "strict"];
  const unexpected = foreign.find((key) => req.args[key] !== undefined);
  if (unexpected) throw new PveError(500, `unexpected property '${unexpected}'`);
  const required = type === "node-affinity" ? "nodes" : "affinity";
  if (req.args[required] === undefined) throw new PveError(500, `missing value for required option '${required}'`);
  const rule = { type, ...options(req.args, RULE_OPTIONS) };
  normalizeRule(sim.settings.nodes, rule, slice);
  slice.rules[id] = rule;
  slice.ruleOrder[id] = Math.max(0, ...Object.values(slice.ruleOrder)) + 1;
  return null;
}

function updateRule(req: ApiRequest, sim: SimContext): null {
  const slice = haSlice(sim.state);
  const rule = slice.rules[req.params.rule];
  if (!rule) throw new PveError(500, `HA rule '${req.params.rule}' does not exist`);
  if (req.args.type && req.args.type !== rule.type) throw new PveError(500, "types does not match");
  const changes = options(req.args, RULE_OPTIONS);
  normalizeRule(sim.settings.nodes, changes, slice);
  if (req.args.disable !== undefined && !parsePveBoolean(req.args.disable)) delete rule.disable;
  for (const key of splitList(req.args.delete ?? "")) delete rule[key];
  Object.assign(rule, changes);
  return null;
}

function deleteRule(req: ApiRequest, sim: SimContext): null {
  const slice = haSlice(sim.state);
  delete slice.rules[req.params.rule];
  delete slice.ruleOrder[req.params.rule];
  return null;
}

const migrated = (verb: string) => () => {
  throw new PveError(500, `cannot ${verb} group: ${MIGRATED}`);
};

/**
 * HA as on a PVE 9 cluster: resources (`vm:<id>`), node/resource affinity rules, and HA groups
 * answering that they were migrated to rules (proxmox_virtual_environment_hagroup cannot work).
 */
export const routes: Route[] = [
  route("GET", "/cluster/ha", () => [{ id: "status" }, { id: "resources" }, { id: "groups" }, { id: "rules" }]),
  route("GET", "/cluster/ha/resources", listResources),
  route("POST", "/cluster/ha/resources", createResource),
  route("GET", "/cluster/ha/resources/{sid}", readResource),
  route("PUT", "/cluster/ha/resources/{sid}", updateResource),
  route("DELETE", "/cluster/ha/resources/{sid}", deleteResource),
  route("POST", "/cluster/ha/resources/{sid}/migrate", migrateResource),
  route("GET", "/cluster/ha/rules", listRules),
  route("POST", "/cluster/ha/rules", createRule),
  route("GET", "/cluster/ha/rules/{rule}", (req, sim) => ruleView(haSlice(sim.state), req.params.rule)),
  route("PUT", "/cluster/ha/rules/{rule}", updateRule),
  route("DELETE", "/cluster/ha/rules/{rule}", deleteRule),
  route("GET", "/cluster/ha/groups", () => {
    throw new PveError(500, `cannot index groups: ${MIGRATED}`);
  }),
  route("POST", "/cluster/ha/groups", migrated("create")),
  route("GET", "/cluster/ha/groups/{group}", migrated("read")),
  route("PUT", "/cluster/ha/groups/{group}", migrated("update")),
  route("DELETE", "/cluster/ha/groups/{group}", migrated("delete")),
];

/**
 * Whether a guest is under HA; PVE refuses to destroy such a VM without `purge`
 * ("unable to remove VM <vmid> - used in HA resources and purge parameter not set.").
 */
export function isHaManaged(state: SimState, vmid: number | string): boolean {
  const { resources } = haSlice(state);
  return has(resources, `vm:${vmid}`) || has(resources, `ct:${vmid}`);
}
