import { accessState, passwordMatches, REALMS, userActive } from "../access-model";
import { listArg } from "../args";
import type { SimContext } from "../context";
import { effectivePrivileges } from "../privileges";
import { PveError } from "../pve-error";
import { ApiRequest, route, Route } from "../route";
import { createCsrfToken, createTicket, verifyTicket } from "../tickets";
import { routes as acl } from "./access-acl";
import { routes as groups } from "./access-groups";
import { routes as roles } from "./access-roles";
import { routes as tokens } from "./access-tokens";
import { routes as users } from "./access-users";

const nowSec = (): number => Math.floor(Date.now() / 1000);

/**
 * `POST /access/ticket`: password login (or renewal with a valid ticket as password). Answers
 * `ticket` (cookie `PVEAuthCookie`) and `CSRFPreventionToken` (header on non-GET requests).
 * With `path` + `privs` it only verifies that the user holds those privileges.
 */
function createTicketRoute(req: ApiRequest, sim: SimContext): unknown {
  const access = accessState(sim.state);
  const realm = req.args.realm;
  const username = req.args.username.includes("@") || !realm ? req.args.username : `${req.args.username}@${realm}`;
  const user = access.users[username];
  const now = nowSec();
  const password = req.args.password;
  const ok = userActive(user, now) && (verifyTicket(access.ticketKey, password, now) === username || passwordMatches(password, user?.password));
  if (!ok) throw new PveError(401, "authentication failure");
  if (req.args.path !== undefined) {
    const have = effectivePrivileges(sim.state, access, username, req.args.path);
    if (!listArg(req, "privs").every((p) => have.has(p))) throw new PveError(401, "authentication failure");
    return { username };
  }
  return {
    username,
    ticket: createTicket(access.ticketKey, username, now),
    CSRFPreventionToken: createCsrfToken(access.ticketKey, username, now),
    clustername: "proxmox-cdk-sim",
  };
}

/** The access family: users, tokens, groups, roles, ACL, permissions, tickets, realms. */
export const routes: Route[] = [
  ...users,
  ...tokens,
  ...groups,
  ...roles,
  ...acl,
  route("GET", "/access/ticket", () => null),
  route("POST", "/access/ticket", createTicketRoute),
  route("GET", "/access/domains", () => REALMS.map((r) => ({ ...r }))),
];
