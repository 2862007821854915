import { firewallSlice, type FirewallSlice, type FwRule } from "../firewall/firewall-store";
import { assertDigest, listDigest, withDigest } from "../firewall/digest";
import { parameterError, PveError } from "../pve-error";
import { route, type ApiRequest, type Route } from "../route";
import type { SimContext } from "../context";

function groupList(slice: FirewallSlice): Array<{ group: string; comment?: string }> {
  return Object.keys(slice.cluster.groups)
    .sort()
    .map((group) => {
      const comment = slice.cluster.groupComments[group];
      return comment ? { group, comment } : { group };
    });
}

function listGroups(_req: ApiRequest, sim: SimContext): unknown {
  return withDigest(groupList(firewallSlice(sim.state)));
}

/** Points `GROUP old` rules everywhere at the new name, as PVE's rename does. */
function renameReferences(slice: FirewallSlice, from: string, to: string): void {
  const lists: FwRule[][] = [slice.cluster.rules, ...Object.values(slice.hosts).map((c) => c.rules), ...Object.values(slice.guests).map((c) => c.rules)];
  for (const rules of lists) {
    for (const rule of rules) if (rule.type === "group" && rule.action === from) rule.action = to;
  }
}

/**
 * POST /cluster/firewall/groups: creates a group, or with `rename` renames it / updates its
 * comment (`rename` equal to `group`). PVE's config parser folds group names to lower case, so a
 * group created as `Web` is listed as `web` — and the provider, looking for `Web`, loses it.
 */
function createGroup(req: ApiRequest, sim: SimContext): null {
  const slice = firewallSlice(sim.state);
  const { groups, groupComments } = slice.cluster;
  const group = req.args.group.toLowerCase();
  const comment = req.args.comment;
  const rename = req.args.rename?.toLowerCase();
  if (rename) {
    assertDigest(listDigest(groupList(slice)), req.args.digest);
    if (!groups[rename]) throw parameterError({ group: `Security group '${req.args.rename}' does not exist` });
    if (groups[group] && group !== rename) {
      throw parameterError({ group: `Security group '${req.args.group}' does already exist` });
    }
    if (group !== rename) {
      groups[group] = groups[rename];
      groupComments[group] = groupComments[rename];
      delete groups[rename];
      delete groupComments[rename];
      renameReferences(slice, rename, group);
    }
    if (comment !== undefined) groupComments[group] = comment;
    if (!groupComments[group]) delete groupComments[group];
    return null;
  }
  if (groups[group]) throw parameterError({ group: `Security group '${req.args.group}' already exists` });
  groups[group] = [];
  if (comment) groupComments[group] = comment;
  return null;
}

function deleteGroup(req: ApiRequest, sim: SimContext): null {
  const { groups, groupComments } = firewallSlice(sim.state).cluster;
  const group = req.params.group;
  const rules = groups[group];
  if (!rules) throw new PveError(500, `no such security group '${group}'`);
  if (rules.length) throw new PveError(500, `Security group '${group}' is not empty`);
  delete groups[group];
  delete groupComments[group];
  return null;
}

/** Security groups: list, create/rename, delete (their rules are in firewall-rules.ts). */
export const firewallGroupRoutes: Route[] = [
  route("GET", "/cluster/firewall/groups", listGroups),
  route("POST", "/cluster/firewall/groups", createGroup),
  route("DELETE", "/cluster/firewall/groups/{group}", deleteGroup),
];
