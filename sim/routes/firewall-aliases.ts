import { configFor, type FwAlias, type FwConfig } from "../firewall/firewall-store";
import { OBJECT_FIREWALL_LEVELS } from "../firewall/levels";
import { assertDigest, listDigest, withDigest } from "../firewall/digest";
import { parseIpOrCidr } from "../firewall/ip";
import { parameterError } from "../pve-error";
import { route, type ApiRequest, type Route } from "../route";
import type { SimContext } from "../context";

function aliasList(conf: FwConfig): FwAlias[] {
  return Object.keys(conf.aliases)
    .sort()
    .map((key) => conf.aliases[key]);
}

/** The alias as PVE's config parser reads it back: `/32` and `/128` dropped, version derived. */
function makeAlias(name: string, cidrArg: string, comment: string | undefined): FwAlias {
  let parsed: { cidr: string; version: 4 | 6 };
  try {
    parsed = parseIpOrCidr(cidrArg);
  } catch (error) {
    throw parameterError({ cidr: (error as Error).message });
  }
  const alias: FwAlias = { name, cidr: parsed.cidr, ipversion: parsed.version };
  if (comment) alias.comment = comment;
  return alias;
}

function listAliases(req: ApiRequest, sim: SimContext): unknown {
  return withDigest(aliasList(configFor(sim.state, req.template, req.params).conf));
}

function createAlias(req: ApiRequest, sim: SimContext): null {
  const { conf } = configFor(sim.state, req.template, req.params);
  const key = req.args.name.toLowerCase();
  if (conf.aliases[key]) throw parameterError({ name: `alias '${req.args.name}' already exists` });
  conf.aliases[key] = makeAlias(req.args.name, req.args.cidr, req.args.comment);
  return null;
}

function readAlias(req: ApiRequest, sim: SimContext): unknown {
  const { conf } = configFor(sim.state, req.template, req.params);
  const alias = conf.aliases[req.params.name.toLowerCase()];
  if (!alias) throw parameterError({ name: "no such alias" });
  return { ...alias };
}

/**
 * PUT replaces cidr and comment (an omitted comment clears it) and renames when `rename`
 * differs from the current name; the provider always sends `rename`, usually the same name.
 */
function updateAlias(req: ApiRequest, sim: SimContext): null {
  const { conf } = configFor(sim.state, req.template, req.params);
  assertDigest(listDigest(aliasList(conf)), req.args.digest);
  const key = req.params.name.toLowerCase();
  if (!conf.aliases[key]) throw parameterError({ name: "no such alias" });
  const alias = makeAlias(req.params.name, req.args.cidr, req.args.comment);
  const rename = req.args.rename;
  if (rename && rename.toLowerCase() !== key) {
    if (conf.aliases[rename.toLowerCase()]) throw parameterError({ name: `alias '${rename}' already exists` });
    delete conf.aliases[key];
    conf.aliases[rename.toLowerCase()] = { ...alias, name: rename };
  } else {
    conf.aliases[key] = alias;
  }
  return null;
}

function deleteAlias(req: ApiRequest, sim: SimContext): null {
  const { conf } = configFor(sim.state, req.template, req.params);
  assertDigest(listDigest(aliasList(conf)), req.args.digest);
  delete conf.aliases[req.params.name.toLowerCase()];
  return null;
}

/** IP aliases at cluster, VM and container level; names are case-insensitive like in PVE. */
export const firewallAliasRoutes: Route[] = OBJECT_FIREWALL_LEVELS.flatMap((base) => [
  route("GET", `${base}/aliases`, listAliases),
  route("POST", `${base}/aliases`, createAlias),
  route("GET", `${base}/aliases/{name}`, readAlias),
  route("PUT", `${base}/aliases/{name}`, updateAlias),
  route("DELETE", `${base}/aliases/{name}`, deleteAlias),
]);
