import { accessState, rolePrivileges } from "../access-model";
import { boolArg, listArg } from "../args";
import { BUILTIN_ROLES } from "../builtin-roles";
import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";

const isBuiltin = (roleid: string): boolean => Object.prototype.hasOwnProperty.call(BUILTIN_ROLES, roleid);

function requireRole(sim: SimContext, roleid: string): readonly string[] {
  const privs = rolePrivileges(accessState(sim.state), roleid);
  if (!privs) throw new PveError(500, `role '${roleid}' does not exist`);
  return privs;
}

function requireCustom(sim: SimContext, roleid: string, verb: string): void {
  requireRole(sim, roleid);
  if (isBuiltin(roleid)) throw new PveError(500, `cannot ${verb} predefined role '${roleid}'`);
}

function listRoles(_req: ApiRequest, sim: SimContext): unknown {
  const access = accessState(sim.state);
  const all = { ...BUILTIN_ROLES, ...access.roles };
  return Object.keys(all)
    .sort()
    .map((roleid) => ({ roleid, privs: [...all[roleid]].join(","), special: isBuiltin(roleid) ? 1 : 0 }));
}

function createRole(req: ApiRequest, sim: SimContext): null {
  const access = accessState(sim.state);
  const roleid = req.args.roleid;
  if (rolePrivileges(access, roleid)) throw new PveError(500, `role '${roleid}' already exists`);
  access.roles[roleid] = [...new Set(listArg(req, "privs"))].sort();
  return null;
}

function updateRole(req: ApiRequest, sim: SimContext): null {
  const roleid = req.params.roleid;
  requireCustom(sim, roleid, "modify");
  const access = accessState(sim.state);
  const given = listArg(req, "privs");
  const base = boolArg(req, "append") ? access.roles[roleid] : [];
  access.roles[roleid] = [...new Set([...base, ...given])].sort();
  return null;
}

function deleteRole(req: ApiRequest, sim: SimContext): null {
  const roleid = req.params.roleid;
  requireCustom(sim, roleid, "delete");
  const access = accessState(sim.state);
  delete access.roles[roleid];
  access.acl = access.acl.filter((e) => e.roleid !== roleid);
  return null;
}

/** Roles: `/access/roles[/{roleid}]`; built-in roles are read-only. */
export const routes: Route[] = [
  route("GET", "/access/roles", listRoles),
  route("POST", "/access/roles", createRole),
  // PVE answers a role as an object with one key per privilege, value 1.
  route("GET", "/access/roles/{roleid}", (req, sim) => Object.fromEntries(requireRole(sim, req.params.roleid).map((p) => [p, 1]))),
  route("PUT", "/access/roles/{roleid}", updateRole),
  route("DELETE", "/access/roles/{roleid}", deleteRole),
];
