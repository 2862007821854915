import { configFor, firewallSlice, type FwConfig, type FwIpsetEntry } from "../firewall/firewall-store";
import { OBJECT_FIREWALL_LEVELS } from "../firewall/levels";
import { assertDigest, listDigest, withDigest } from "../firewall/digest";
import { cleanCidr, parseIpOrCidr } from "../firewall/ip";
import { parameterError, PveError } from "../pve-error";
import { parsePveBoolean } from "../schema-check";
import { route, type ApiRequest, type Route } from "../route";
import type { SimContext } from "../context";

function ipsetList(conf: FwConfig): Array<{ name: string; comment?: string }> {
  return Object.keys(conf.ipsets)
    .sort()
    .map((name) => (conf.ipsetComments[name] ? { name, comment: conf.ipsetComments[name] } : { name }));
}

/** The entries of the ipset in the path; PVE looks the name up exactly ("no such IPSet"). */
function entriesOf(req: ApiRequest, sim: SimContext): { conf: FwConfig; entries: FwIpsetEntry[] } {
  const { conf } = configFor(sim.state, req.template, req.params);
  const entries = conf.ipsets[req.params.name];
  if (!entries) throw new PveError(500, `no such IPSet '${req.params.name}'`);
  return { conf, entries };
}

function listIpsets(req: ApiRequest, sim: SimContext): unknown {
  return withDigest(ipsetList(configFor(sim.state, req.template, req.params).conf));
}

/**
 * POST …/ipset creates an ipset, or with `rename` renames it / updates its comment. Names are
 * stored lower case, as PVE's config parser folds them.
 */
function createIpset(req: ApiRequest, sim: SimContext): null {
  const { conf } = configFor(sim.state, req.template, req.params);
  const name = req.args.name.toLowerCase();
  const { comment, rename } = req.args;
  if (rename) {
    assertDigest(listDigest(ipsetList(conf)), req.args.digest);
    if (!conf.ipsets[rename]) throw parameterError({ name: `IPSet '${rename}' does not exist` });
    if (conf.ipsets[name] && name !== rename) throw parameterError({ name: `IPSet '${req.args.name}' does already exist` });
    const entries = conf.ipsets[rename];
    const oldComment = conf.ipsetComments[rename];
    delete conf.ipsets[rename];
    delete conf.ipsetComments[rename];
    conf.ipsets[name] = entries;
    const newComment = comment ?? oldComment;
    if (newComment) conf.ipsetComments[name] = newComment;
    return null;
  }
  if (conf.ipsets[name]) throw parameterError({ name: `IPSet '${req.args.name}' already exists` });
  conf.ipsets[name] = [];
  if (comment) conf.ipsetComments[name] = comment;
  return null;
}

function deleteIpset(req: ApiRequest, sim: SimContext): null {
  const { conf, entries } = entriesOf(req, sim);
  if (entries.length && !parsePveBoolean(req.args.force)) throw new PveError(500, `IPSet '${req.params.name}' is not empty`);
  delete conf.ipsets[req.params.name];
  delete conf.ipsetComments[req.params.name];
  return null;
}

function listEntries(req: ApiRequest, sim: SimContext): unknown {
  return withDigest(entriesOf(req, sim).entries);
}

/** An entry's cidr as PVE stores it: an existing alias name, or the cleaned network address. */
function entryCidr(req: ApiRequest, sim: SimContext, conf: FwConfig): string {
  const cidr = req.args.cidr;
  const alias = /^(dc\/|guest\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(cidr);
  if (alias) {
    const key = alias[2].toLowerCase();
    const cluster = firewallSlice(sim.state).cluster;
    const found = (alias[1] !== "dc/" && conf !== cluster && conf.aliases[key]) || (alias[1] !== "guest/" && cluster.aliases[key]);
    if (!found) throw new PveError(500, `no such alias '${cidr}'`);
    return cidr;
  }
  try {
    return parseIpOrCidr(cleanCidr(cidr)).cidr;
  } catch (error) {
    throw parameterError({ cidr: (error as Error).message });
  }
}

/** Adds an entry at the top of the ipset (PVE unshifts). */
function addEntry(req: ApiRequest, sim: SimContext): null {
  const { conf, entries } = entriesOf(req, sim);
  const cidr = entryCidr(req, sim, conf);
  if (entries.some((e) => e.cidr === cidr)) throw parameterError({ cidr: `address '${cidr}' already exists` });
  if (/\/0+$/.test(cidr)) throw parameterError({ cidr: "a zero prefix is not allowed in ipset entries" });
  const entry: FwIpsetEntry = { cidr };
  if (parsePveBoolean(req.args.nomatch)) entry.nomatch = 1;
  if (req.args.comment) entry.comment = req.args.comment;
  entries.unshift(entry);
  return null;
}

function entryIndex(req: ApiRequest, entries: readonly FwIpsetEntry[]): number {
  const index = entries.findIndex((e) => e.cidr === req.params.cidr);
  if (index < 0) throw parameterError({ cidr: "no such IP/Network" });
  return index;
}

function readEntry(req: ApiRequest, sim: SimContext): unknown {
  const { entries } = entriesOf(req, sim);
  return { ...entries[entryIndex(req, entries)], digest: listDigest(entries) };
}

function updateEntry(req: ApiRequest, sim: SimContext): null {
  const { entries } = entriesOf(req, sim);
  assertDigest(listDigest(entries), req.args.digest);
  const index = entryIndex(req, entries);
  // PVE assigns both fields, so an omitted one is cleared
  const entry: FwIpsetEntry = { cidr: entries[index].cidr };
  if (parsePveBoolean(req.args.nomatch)) entry.nomatch = 1;
  if (req.args.comment) entry.comment = req.args.comment;
  entries[index] = entry;
  return null;
}

function removeEntry(req: ApiRequest, sim: SimContext): null {
  const { conf, entries } = entriesOf(req, sim);
  assertDigest(listDigest(entries), req.args.digest);
  conf.ipsets[req.params.name] = entries.filter((e) => e.cidr !== req.params.cidr);
  return null;
}

/**
 * IP sets at cluster, VM and container level. CIDR path segments arrive unescaped
 * (`10.0.0.0%2F24` → `10.0.0.0/24`) and match the stored, normalised entry exactly.
 */
export const firewallIpsetRoutes: Route[] = OBJECT_FIREWALL_LEVELS.flatMap((base) => [
  route("GET", `${base}/ipset`, listIpsets),
  route("POST", `${base}/ipset`, createIpset),
  route("GET", `${base}/ipset/{name}`, listEntries),
  route("POST", `${base}/ipset/{name}`, addEntry),
  route("DELETE", `${base}/ipset/{name}`, deleteIpset),
  route("GET", `${base}/ipset/{name}/{cidr}`, readEntry),
  route("PUT", `${base}/ipset/{name}/{cidr}`, updateEntry),
  route("DELETE", `${base}/ipset/{name}/{cidr}`, removeEntry),
]);
