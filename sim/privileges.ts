import { AccessState, rolePrivileges, splitTokenId } from "./access-model";
import { ALL_PRIVILEGES } from "./builtin-roles";
import type { SimState } from "./sim-state";

/** Effective privileges at a path: privilege → whether it propagates further down. */
export type PrivilegeSet = Map<string, boolean>;

/**
 * Finds the resource pool of an ACL path (`/vms/100` → `web`), so that roles on `/pool/web` apply
 * to the pool's members as in PVE. Registered by the pools family.
 */
export type PoolResolver = (state: SimState, path: string) => string | undefined;

const poolResolvers: PoolResolver[] = [];

/** Registers a {@link PoolResolver} (once per process; resolvers of every family are asked). */
export function registerPoolResolver(resolver: PoolResolver): void {
  if (!poolResolvers.includes(resolver)) poolResolvers.push(resolver);
}

/** PVE's `normalize_path`: single slashes, no trailing slash, leading slash. */
export function normalizeAclPath(path: string): string {
  const p = `/${path}`.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
  return p;
}

/** The path prefixes an ACL lookup walks: `/vms/100` → `/`, `/vms`, `/vms/100`. */
function prefixes(path: string): string[] {
  const parts = normalizeAclPath(path)
    .split("/")
    .filter((p) => p !== "");
  return ["/", ...parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`)];
}

/**
 * Roles of an auth id at a path, as pve-access-control's `roles()` computes them: walking from `/`
 * down, each level that grants the subject anything (token entries, else user entries, else
 * entries of the user's groups) replaces what upper levels granted; entries on upper levels
 * count only when they propagate. `NoAccess` wins over everything at its level.
 */
export function rolesAt(access: AccessState, authid: string, path: string): Map<string, boolean> {
  let roles = new Map<string, boolean>();
  const levels = prefixes(path);
  const isToken = authid.includes("!");
  const groups = isToken ? [] : (access.users[authid]?.groups ?? []);
  levels.forEach((level, i) => {
    const final = i === levels.length - 1;
    const here = access.acl.filter((e) => e.path === level && (final || e.propagate === 1));
    const pick = (match: (e: (typeof here)[number]) => boolean): Map<string, boolean> | undefined => {
      const hits = here.filter(match);
      return hits.length ? new Map(hits.map((e) => [e.roleid, e.propagate === 1])) : undefined;
    };
    const next = isToken
      ? pick((e) => e.type === "token" && e.ugid === authid)
      : (pick((e) => e.type === "user" && e.ugid === authid) ?? pick((e) => e.type === "group" && groups.includes(e.ugid)));
    if (next) roles = next;
  });
  if (roles.has("NoAccess")) return new Map([["NoAccess", roles.get("NoAccess") as boolean]]);
  return roles;
}

function privilegesOfRoles(access: AccessState, roles: Map<string, boolean>, into: PrivilegeSet): void {
  for (const [roleid, propagate] of roles) {
    for (const priv of rolePrivileges(access, roleid) ?? []) into.set(priv, (into.get(priv) ?? false) || propagate);
  }
}

function subjectPrivileges(state: SimState, access: AccessState, authid: string, path: string): PrivilegeSet {
  const privs: PrivilegeSet = new Map();
  privilegesOfRoles(access, rolesAt(access, authid, path), privs);
  for (const resolve of poolResolvers) {
    const pool = resolve(state, normalizeAclPath(path));
    if (pool) privilegesOfRoles(access, rolesAt(access, authid, `/pool/${pool}`), privs);
  }
  return privs;
}

/**
 * Effective privileges of `authid` (user id or full token id) at `path`, as PVE's
 * `RPCEnvironment::permissions`: root@pam has every privilege; a token without privilege
 * separation has its user's; a privsep token has the intersection of its own and its user's.
 */
export function effectivePrivileges(state: SimState, access: AccessState, authid: string, path: string): PrivilegeSet {
  if (authid === "root@pam") return new Map(ALL_PRIVILEGES.map((p) => [p, true]));
  const token = splitTokenId(authid);
  if (!token) return subjectPrivileges(state, access, authid, path);
  const info = access.users[token.userid]?.tokens[token.name];
  if (!info) return new Map();
  const userPrivs = effectivePrivileges(state, access, token.userid, path);
  if (info.privsep === 0) return userPrivs;
  const tokenPrivs = subjectPrivileges(state, access, authid, path);
  const both: PrivilegeSet = new Map();
  for (const [priv, propagate] of tokenPrivs) {
    if (userPrivs.has(priv)) both.set(priv, propagate && (userPrivs.get(priv) as boolean));
  }
  return both;
}
