import { accessState, AccessState, passwordHash, REALMS, requireUser, UserRecord } from "../access-model";
import { boolArg, listArg, numberArg, pveBool } from "../args";
import { hasPrivs } from "../permission-check";
import { PveError } from "../pve-error";
import type { SimContext } from "../context";
import { ApiRequest, route, Route } from "../route";
import { dict } from "../dict";

/** Text fields of a user that PVE stores only when non-empty. */
const TEXT_FIELDS = ["comment", "email", "firstname", "lastname", "keys"] as const;

function applyText(user: UserRecord, req: ApiRequest): void {
  for (const f of TEXT_FIELDS) {
    const v = req.args[f];
    if (v === undefined) continue;
    if (v === "") delete user[f];
    else user[f] = v;
  }
}

function requireGroups(access: AccessState, groups: readonly string[]): void {
  for (const g of groups) if (!access.groups[g]) throw new PveError(500, `group '${g}' does not exist`);
}

/** A user as `GET /access/users/{userid}` answers (groups as array, tokens as a map). */
function userView(user: UserRecord): Record<string, unknown> {
  const view: Record<string, unknown> = { enable: user.enable, expire: user.expire, groups: [...user.groups].sort() };
  for (const f of TEXT_FIELDS) if (user[f] !== undefined) view[f] = user[f];
  const tokens = Object.entries(user.tokens);
  if (tokens.length > 0) view.tokens = Object.fromEntries(tokens.map(([name, t]) => [name, tokenInfo(t)]));
  return view;
}

/** A token as PVE shows it (never the secret). */
export function tokenInfo(t: { privsep: 0 | 1; expire: number; comment?: string }): Record<string, unknown> {
  return t.comment === undefined ? { privsep: t.privsep, expire: t.expire } : { privsep: t.privsep, expire: t.expire, comment: t.comment };
}

/** Whether the caller may see `userid` in the user list (PVE's filter on `GET /access/users`). */
function visible(req: ApiRequest, sim: SimContext, access: AccessState, userid: string): boolean {
  if (userid === req.auth.userid) return true;
  const privs = ["User.Modify", "Sys.Audit"];
  if (hasPrivs(req, sim, "/access/groups", privs, true)) return true;
  return access.users[userid].groups.some((g) => hasPrivs(req, sim, `/access/groups/${g}`, privs, true));
}

function listUsers(req: ApiRequest, sim: SimContext): unknown {
  const access = accessState(sim.state);
  const full = boolArg(req, "full") === true;
  const enabled = boolArg(req, "enabled");
  return Object.keys(access.users)
    .sort()
    .filter((id) => visible(req, sim, access, id))
    .filter((id) => enabled === undefined || access.users[id].enable === pveBool(enabled))
    .map((userid) => {
      const u = access.users[userid];
      const row: Record<string, unknown> = { userid, enable: u.enable, expire: u.expire, "realm-type": userid.slice(userid.lastIndexOf("@") + 1) };
      for (const f of TEXT_FIELDS) if (u[f] !== undefined) row[f] = u[f];
      // As pve-access-control's extract_user_data: groups (a list, whatever the schema says) and
      // tokens only with full=1; bpg/proxmox decodes groups as a JSON array.
      if (full) {
        row.groups = [...u.groups].sort();
        row.tokens = Object.entries(u.tokens).map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) }));
      }
      return row;
    });
}

function createUser(req: ApiRequest, sim: SimContext): null {
  const access = accessState(sim.state);
  const userid = req.args.userid;
  const realm = userid.slice(userid.lastIndexOf("@") + 1);
  if (!REALMS.some((r) => r.realm === realm)) throw new PveError(500, `create user failed: domain '${realm}' does not exist`);
  if (access.users[userid]) throw new PveError(500, `create user failed: user '${userid}' already exists`);
  const groups = listArg(req, "groups");
  requireGroups(access, groups);
  const user: UserRecord = {
    enable: pveBool(boolArg(req, "enable") ?? true),
    expire: numberArg(req, "expire") ?? 0,
    groups: [...new Set(groups)],
    tokens: dict(),
  };
  applyText(user, req);
  if (req.args.password) user.password = passwordHash(req.args.password);
  access.users[userid] = user;
  return null;
}

function updateUser(req: ApiRequest, sim: SimContext): null {
  const access = accessState(sim.state);
  const user = requireUser(access, req.params.userid);
  applyText(user, req);
  const enable = boolArg(req, "enable");
  if (enable !== undefined) user.enable = pveBool(enable);
  const expire = numberArg(req, "expire");
  if (expire !== undefined) user.expire = expire;
  if (req.args.groups !== undefined) {
    const groups = listArg(req, "groups");
    requireGroups(access, groups);
    user.groups = [...new Set(boolArg(req, "append") ? [...user.groups, ...groups] : groups)];
  }
  return null;
}

function deleteUser(req: ApiRequest, sim: SimContext): null {
  const access = accessState(sim.state);
  const userid = req.params.userid;
  requireUser(access, userid);
  if (userid === "root@pam") throw new PveError(500, "delete user failed: root@pam is the simulator's bootstrap user and cannot be deleted");
  delete access.users[userid];
  access.acl = access.acl.filter((e) => !(e.ugid === userid || (e.type === "token" && e.ugid.startsWith(`${userid}!`))));
  return null;
}

function changePassword(req: ApiRequest, sim: SimContext): null {
  const access = accessState(sim.state);
  const user = requireUser(access, req.args.userid);
  user.password = passwordHash(req.args.password);
  return null;
}

/** Users: `/access/users`, `/access/users/{userid}`, `/access/password`. */
export const routes: Route[] = [
  route("GET", "/access/users", listUsers),
  route("POST", "/access/users", createUser),
  route("GET", "/access/users/{userid}", (req, sim) => userView(requireUser(accessState(sim.state), req.params.userid))),
  route("PUT", "/access/users/{userid}", updateUser),
  route("DELETE", "/access/users/{userid}", deleteUser),
  route("PUT", "/access/password", changePassword),
];
