import { accessState, AccessState, authId } from "./access-model";
import type { PermissionCheck, SchemaPermissions } from "./api-schema";
import type { SimContext } from "./context";
import { checkNamedFormat } from "./pve-formats";
import { doesNotExist, parameterError, permissionDenied, PveError } from "./pve-error";
import { effectivePrivileges, normalizeAclPath } from "./privileges";
import type { ApiRequest } from "./route";
import type { SimState } from "./sim-state";

/** Whether the caller holds `privs` (all of them, or any with `any`) on `path`. */
export function hasPrivs(req: Pick<ApiRequest, "auth">, sim: Pick<SimContext, "state">, path: string, privs: readonly string[], any = false): boolean {
  const have = effectivePrivileges(sim.state, accessState(sim.state), authId(req.auth), path);
  return any ? privs.some((p) => have.has(p)) : privs.every((p) => have.has(p));
}

/**
 * Throws PVE's 403 `Permission check failed (<path>, <priv>)` unless the caller holds `privs` on
 * `path` (all of them; with `any`, at least one, and the message lists them joined by `|`).
 * For the checks real PVE makes in handler code (clone: VM.Clone on the source, VM.Allocate on the
 * target; Datastore.AllocateSpace on storages; SDN.Use on bridges and vnets; …).
 */
export function requirePrivs(req: Pick<ApiRequest, "auth">, sim: Pick<SimContext, "state">, path: string, privs: readonly string[], any = false): void {
  const have = effectivePrivileges(sim.state, accessState(sim.state), authId(req.auth), path);
  const p = normalizeAclPath(path);
  if (any) {
    if (!privs.some((x) => have.has(x))) throw permissionDenied(p, privs);
    return;
  }
  const missing = privs.find((x) => !have.has(x));
  if (missing) throw permissionDenied(p, [missing]);
}

/** Replaces `{param}` in a check's path template (PVE's `template_replace`). */
function fillTemplate(template: string, params: Readonly<Record<string, string>>): string {
  return normalizeAclPath(template.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? ""));
}

interface CheckContext {
  readonly state: SimState;
  readonly access: AccessState;
  readonly authid: string;
  readonly params: Readonly<Record<string, string>>;
}

const generic = (): PveError => new PveError(403, "Permission check failed");

function privileges(ctx: CheckContext, path: string) {
  return effectivePrivileges(ctx.state, ctx.access, ctx.authid, path);
}

function checkAll(ctx: CheckContext, path: string, privs: readonly string[]): PveError | undefined {
  const have = privileges(ctx, path);
  const missing = privs.find((p) => !have.has(p));
  return missing ? permissionDenied(path, [missing]) : undefined;
}

function checkAny(ctx: CheckContext, path: string, privs: readonly string[]): PveError | undefined {
  const have = privileges(ctx, path);
  return privs.some((p) => have.has(p)) ? undefined : permissionDenied(path, privs);
}

/** The user named by the `userid` parameter, validated first (PVE's `verify_username` dies on junk). */
function userParam(ctx: CheckContext): string {
  const userid = ctx.params.userid ?? "";
  const err = checkNamedFormat("pve-userid", userid);
  if (err) throw parameterError({ userid: err });
  return userid;
}

function userExists(ctx: CheckContext, userid: string): void {
  if (!ctx.access.users[userid]) throw doesNotExist(`no such user ('${userid}')`);
}

function options(rest: readonly unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < rest.length; i += 2) o[String(rest[i])] = rest[i + 1];
  return o;
}

/** Groups on which the caller holds any of `privs` (for `userid-group`). */
function groupsWithPrivs(ctx: CheckContext, privs: readonly string[]): Set<string> {
  return new Set(Object.keys(ctx.access.groups).filter((g) => !checkAny(ctx, `/access/groups/${g}`, privs)));
}

/** Evaluates one check; returns the error to raise, or undefined when it passes. */
function evaluate(ctx: CheckContext, check: PermissionCheck): PveError | undefined {
  const [test, ...rest] = check;
  switch (test) {
    case "and":
      for (const sub of rest) {
        const err = evaluate(ctx, sub as PermissionCheck);
        if (err) return err;
      }
      return undefined;
    case "or":
      return rest.some((sub) => !evaluate(ctx, sub as PermissionCheck)) ? undefined : generic();
    case "perm": {
      const [template, privs, ...opts] = rest as [string, string[], ...unknown[]];
      const o = options(opts);
      if (typeof o.require_param === "string" && ctx.params[o.require_param] === undefined) return generic();
      const path = fillTemplate(template, ctx.params);
      return o.any ? checkAny(ctx, path, privs) : checkAll(ctx, path, privs);
    }
    case "perm-modify":
      return checkPermModify(ctx, fillTemplate(String(rest[0]), ctx.params));
    case "userid-param": {
      const userid = userParam(ctx);
      if (rest[0] === "self") {
        userExists(ctx, userid);
        return ctx.authid === userid ? undefined : generic();
      }
      return checkAll(ctx, `/access/realm/${userid.slice(userid.lastIndexOf("@") + 1)}`, ["Realm.AllocateUser"]);
    }
    case "userid-group":
      return checkUseridGroup(ctx, rest[0] as string[], options(rest.slice(1)));
    default:
      return generic();
  }
}

/** PVE's `check_perm_modify`: Permissions.Modify, or the allocate privilege of the object kind. */
function checkPermModify(ctx: CheckContext, path: string): PveError | undefined {
  const privs = ["Permissions.Modify"];
  if (/^\/storage\/.+$/.test(path)) privs.push("Datastore.Allocate");
  else if (/^\/vms\/.+$/.test(path)) privs.push("VM.Allocate");
  else if (/^\/pool\/.+$/.test(path)) privs.push("Pool.Allocate");
  return checkAny(ctx, path, privs);
}

/** PVE's `userid-group` check: privileges on /access/groups, or on the groups involved. */
function checkUseridGroup(ctx: CheckContext, privs: readonly string[], o: Record<string, unknown>): PveError | undefined {
  const userid = userParam(ctx);
  const existing = o.groups_param !== "create";
  if (existing) userExists(ctx, userid);
  if (!checkAny(ctx, "/access/groups", privs)) return undefined;
  const allowed = groupsWithPrivs(ctx, privs);
  if (o.groups_param) {
    for (const g of (ctx.params.groups ?? "").split(/[,;\s]+/).filter((x) => x)) {
      if (!allowed.has(g)) return permissionDenied(`/access/groups/${g}`, privs);
    }
  }
  if (existing && !(ctx.access.users[userid]?.groups ?? []).some((g) => allowed.has(g))) {
    return permissionDenied("/access/groups", privs);
  }
  return undefined;
}

/**
 * Applies a method's `permissions` as PVE's `check_api2_permissions`: root@pam (the user, not its
 * tokens) passes everything; no permissions object means root@pam only; `user: "all"` means any
 * authenticated caller; a `check` is evaluated; a description alone means root@pam only.
 * `user: "world"` methods never reach this (they need no authentication).
 */
export function checkApiPermissions(
  state: SimState,
  authid: string,
  permissions: SchemaPermissions | undefined,
  params: Readonly<Record<string, string>>,
): void {
  if (authid === "root@pam") return;
  if (!permissions) throw new PveError(403, "Permission check failed (user != root@pam)");
  if (permissions.user === "all" || permissions.user === "world") return;
  if (!permissions.check) throw generic();
  const err = evaluate({ state, access: accessState(state), authid, params }, permissions.check);
  if (err) throw err;
}
