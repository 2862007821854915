import * as crypto from "crypto";
import { accessState, requireUser, TokenRecord, tokenHash } from "../access-model";
import { boolArg, numberArg, pveBool } from "../args";
import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";
import { tokenInfo } from "./access-users";

function requireToken(req: ApiRequest, sim: SimContext): TokenRecord {
  const { userid, tokenid } = req.params;
  const token = requireUser(accessState(sim.state), userid).tokens[tokenid];
  if (!token) throw new PveError(500, `no such token '${tokenid}' for user '${userid}'`);
  return token;
}

function applyOptions(token: TokenRecord, req: ApiRequest): void {
  const privsep = boolArg(req, "privsep");
  if (privsep !== undefined) token.privsep = pveBool(privsep);
  const expire = numberArg(req, "expire");
  if (expire !== undefined) token.expire = expire;
  const comment = req.args.comment;
  if (comment !== undefined) {
    if (comment === "") delete token.comment;
    else token.comment = comment;
  }
}

/**
 * `POST /access/users/{userid}/token/{tokenid}`: the secret (a UUID, the form bpg/proxmox
 * requires) is returned once as `value` and stored only as a hash. Defaults as PVE: privsep 1,
 * expire = the user's expire.
 */
function createToken(req: ApiRequest, sim: SimContext): unknown {
  const { userid, tokenid } = req.params;
  const user = requireUser(accessState(sim.state), userid);
  if (user.tokens[tokenid]) throw new PveError(500, "Token already exists.");
  const value = crypto.randomUUID();
  const token: TokenRecord = { privsep: 1, expire: user.expire, secretSha256: tokenHash(value) };
  applyOptions(token, req);
  user.tokens[tokenid] = token;
  return { "full-tokenid": `${userid}!${tokenid}`, info: tokenInfo(token), value };
}

function deleteToken(req: ApiRequest, sim: SimContext): null {
  requireToken(req, sim);
  const { userid, tokenid } = req.params;
  const access = accessState(sim.state);
  delete access.users[userid].tokens[tokenid];
  const full = `${userid}!${tokenid}`;
  access.acl = access.acl.filter((e) => !(e.type === "token" && e.ugid === full));
  return null;
}

/** API tokens: `/access/users/{userid}/token[/{tokenid}]`. */
export const routes: Route[] = [
  route("GET", "/access/users/{userid}/token", (req, sim) =>
    Object.entries(requireUser(accessState(sim.state), req.params.userid).tokens).map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) })),
  ),
  route("GET", "/access/users/{userid}/token/{tokenid}", (req, sim) => tokenInfo(requireToken(req, sim))),
  route("POST", "/access/users/{userid}/token/{tokenid}", createToken),
  route("PUT", "/access/users/{userid}/token/{tokenid}", (req, sim) => {
    const token = requireToken(req, sim);
    applyOptions(token, req);
    return tokenInfo(token);
  }),
  route("DELETE", "/access/users/{userid}/token/{tokenid}", deleteToken),
];
