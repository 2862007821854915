import { AclEntry, accessState, authId, rolePrivileges, splitTokenId } from "../access-model";
import { boolArg, listArg, pveBool } from "../args";
import type { SimContext } from "../context";
import { hasPrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { effectivePrivileges, normalizeAclPath } from "../privileges";
import { ApiRequest, route, Route } from "../route";
import { poolMemberPaths } from "./pools";

const ID = "[A-Za-z0-9.\\-_]+";
/** ACL paths PVE accepts (pve-access-control's `check_path`). */
const VALID_PATH = new RegExp(
  "^(?:/|/access|/access/groups|/access/groups/" +
    ID +
    "|/access/realm|/access/realm/" +
    ID +
    "|/cluster|/cluster/ha|/cluster/ha/groups|/cluster/ha/groups/" +
    ID +
    "|/cluster/ha/rules|/cluster/ha/rules/" +
    ID +
    "|/mapping|/mapping/[a-z]+|/mapping/[a-z]+/" +
    ID +
    "|/nodes|/nodes/" +
    ID +
    "|/pool|/pool/" +
    ID +
    "(?:/" +
    ID +
    "){0,2}" +
    "|/sdn|/sdn/controllers|/sdn/controllers/" +
    ID +
    "|/sdn/dns|/sdn/dns/" +
    ID +
    "|/sdn/ipams|/sdn/ipams/" +
    ID +
    "|/sdn/fabrics|/sdn/fabrics/" +
    ID +
    "|/sdn/zones|/sdn/zones/" +
    ID +
    "|/sdn/zones/" +
    ID +
    "/" +
    ID +
    "|/sdn/zones/" +
    ID +
    "/" +
    ID +
    "/[1-9][0-9]{0,3}" +
    "|/storage|/storage/" +
    ID +
    "|/vms|/vms/[1-9][0-9]{2,})$",
);

/** Whether the caller may modify permissions on `path` (PVE's `check_perm_modify`, no error). */
function mayModify(req: ApiRequest, sim: SimContext, path: string): boolean {
  const privs = ["Permissions.Modify"];
  if (/^\/storage\/.+$/.test(path)) privs.push("Datastore.Allocate");
  else if (/^\/vms\/.+$/.test(path)) privs.push("VM.Allocate");
  else if (/^\/pool\/.+$/.test(path)) privs.push("Pool.Allocate");
  return hasPrivs(req, sim, path, privs, true);
}

function readAcl(req: ApiRequest, sim: SimContext): unknown {
  return accessState(sim.state)
    .acl.filter((e) => mayModify(req, sim, e.path))
    .sort((a, b) => a.path.localeCompare(b.path) || a.ugid.localeCompare(b.ugid) || a.roleid.localeCompare(b.roleid))
    .map((e) => ({ path: e.path, type: e.type, ugid: e.ugid, roleid: e.roleid, propagate: e.propagate }));
}

/** `PUT /access/acl`: adds (or with `delete=1` removes) role assignments for users, groups and tokens. */
function updateAcl(req: ApiRequest, sim: SimContext): null {
  const access = accessState(sim.state);
  const users = listArg(req, "users");
  const groups = listArg(req, "groups");
  const tokens = listArg(req, "tokens");
  if (users.length + groups.length + tokens.length === 0) {
    const msg = "either 'users', 'groups' or 'tokens' is required.";
    throw parameterError({ users: msg, groups: msg, tokens: msg });
  }
  const path = normalizeAclPath(req.args.path);
  if (!VALID_PATH.test(path)) throw parameterError({ path: `invalid ACL path '${req.args.path}'` });
  const remove = boolArg(req, "delete") === true;
  const propagate = pveBool(boolArg(req, "propagate") ?? true);
  const subjects: Array<Pick<AclEntry, "type" | "ugid">> = [
    ...groups.map((ugid) => ({ type: "group" as const, ugid })),
    ...users.map((ugid) => ({ type: "user" as const, ugid })),
    ...tokens.map((ugid) => ({ type: "token" as const, ugid })),
  ];
  for (const roleid of listArg(req, "roles")) {
    if (!rolePrivileges(access, roleid)) throw new PveError(500, `role '${roleid}' does not exist`);
    for (const s of subjects) {
      requireSubject(sim, s);
      const i = access.acl.findIndex((e) => e.path === path && e.type === s.type && e.ugid === s.ugid && e.roleid === roleid);
      if (remove) {
        if (i !== -1) access.acl.splice(i, 1);
      } else if (i !== -1) {
        access.acl[i].propagate = propagate;
      } else {
        access.acl.push({ path, type: s.type, ugid: s.ugid, roleid, propagate });
      }
    }
  }
  return null;
}

function requireSubject(sim: SimContext, s: Pick<AclEntry, "type" | "ugid">): void {
  const access = accessState(sim.state);
  if (s.type === "group" && !access.groups[s.ugid]) throw new PveError(500, `group '${s.ugid}' does not exist`);
  if (s.type === "user" && !access.users[s.ugid]) throw new PveError(500, `user '${s.ugid}' does not exist`);
  if (s.type === "token") {
    const t = splitTokenId(s.ugid);
    if (!t || !access.users[t.userid]?.tokens[t.name]) throw new PveError(500, `no such token '${t?.name ?? s.ugid}' for user '${t?.userid ?? ""}'`);
  }
}

/**
 * Paths whose effective privileges `GET /access/permissions` lists when no `path` is given: PVE's
 * `RPCEnvironment::get_effective_permissions` takes the top-level paths, every ACL path and the
 * paths of pool members (`/vms/{vmid}`, `/storage/{storeid}`).
 */
function interestingPaths(sim: SimContext): string[] {
  const fixed = ["/", "/access", "/access/groups", "/nodes", "/pool", "/sdn", "/storage", "/vms"];
  return [...new Set([...fixed, ...accessState(sim.state).acl.map((e) => e.path), ...poolMemberPaths(sim.state)])].sort();
}

function permissions(req: ApiRequest, sim: SimContext): unknown {
  const me = authId(req.auth);
  const target = req.args.userid ?? me;
  const ownToken = target.startsWith(`${req.auth.userid}!`) && !req.auth.tokenid;
  if (target !== me && !ownToken && !hasPrivs(req, sim, "/access", ["Sys.Audit"])) throw new PveError(403, "Permission check failed (/access, Sys.Audit)");
  const access = accessState(sim.state);
  const paths = req.args.path !== undefined ? [req.args.path] : interestingPaths(sim);
  const out: Record<string, Record<string, 0 | 1>> = {};
  for (const p of paths) {
    const privs = effectivePrivileges(sim.state, access, target, p);
    if (privs.size === 0 && req.args.path === undefined) continue;
    out[p] = Object.fromEntries([...privs].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, pveBool(v)]));
  }
  return out;
}

/** ACL and effective permissions: `/access/acl`, `/access/permissions`. */
export const routes: Route[] = [route("GET", "/access/acl", readAcl), route("PUT", "/access/acl", updateAcl), route("GET", "/access/permissions", permissions)];
