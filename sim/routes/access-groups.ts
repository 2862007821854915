import { accessState } from "../access-model";
import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";
import { dict } from "../dict";

function members(sim: SimContext, groupid: string): string[] {
  const users = accessState(sim.state).users;
  return Object.keys(users)
    .filter((u) => users[u].groups.includes(groupid))
    .sort();
}

function requireGroup(sim: SimContext, groupid: string): { comment?: string } {
  const group = accessState(sim.state).groups[groupid];
  if (!group) throw new PveError(500, `group '${groupid}' does not exist`);
  return group;
}

function listGroups(req: ApiRequest, sim: SimContext): unknown {
  const groups = accessState(sim.state).groups;
  return Object.keys(groups)
    .sort()
    .filter((g) => hasPrivs(req, sim, `/access/groups/${g}`, ["User.Modify", "Sys.Audit", "Group.Allocate"], true))
    .map((groupid) => {
      const row: Record<string, unknown> = { groupid, users: members(sim, groupid).join(",") };
      if (groups[groupid].comment !== undefined) row.comment = groups[groupid].comment;
      return row;
    });
}

function setComment(group: { comment?: string }, comment: string | undefined): void {
  if (comment === undefined) return;
  if (comment === "") delete group.comment;
  else group.comment = comment;
}

function deleteGroup(req: ApiRequest, sim: SimContext): null {
  const groupid = req.params.groupid;
  requireGroup(sim, groupid);
  const access = accessState(sim.state);
  delete access.groups[groupid];
  for (const u of Object.values(access.users)) u.groups = u.groups.filter((g) => g !== groupid);
  access.acl = access.acl.filter((e) => !(e.type === "group" && e.ugid === groupid));
  return null;
}

/** Groups: `/access/groups[/{groupid}]`; membership lives on the users. */
export const routes: Route[] = [
  route("GET", "/access/groups", listGroups),
  route("POST", "/access/groups", (req, sim) => {
    const access = accessState(sim.state);
    const groupid = req.args.groupid;
    if (access.groups[groupid]) throw new PveError(500, `create group failed: group '${groupid}' already exists`);
    access.groups[groupid] = dict();
    setComment(access.groups[groupid], req.args.comment);
    return null;
  }),
  route("GET", "/access/groups/{groupid}", (req, sim) => {
    const group = requireGroup(sim, req.params.groupid);
    const view: Record<string, unknown> = { members: members(sim, req.params.groupid) };
    if (group.comment !== undefined) view.comment = group.comment;
    return view;
  }),
  route("PUT", "/access/groups/{groupid}", (req, sim) => {
    setComment(requireGroup(sim, req.params.groupid), req.args.comment);
    return null;
  }),
  route("DELETE", "/access/groups/{groupid}", deleteGroup),
];
