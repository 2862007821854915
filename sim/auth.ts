import * as crypto from "crypto";
import type { IncomingHttpHeaders } from "http";
import { accessState, splitTokenId, tokenHash, userActive } from "./access-model";
import { PveError } from "./pve-error";
import type { AuthContext } from "./route";
import type { SimState } from "./sim-state";
import { verifyCsrfToken, verifyTicket } from "./tickets";
import { own } from "./dict";

const denied = (message = "authentication failure"): PveError => new PveError(401, message);

/** PVE's `extract_auth_value`: the value after `<key>=` or `<key> ` in a header. */
function headerValue(header: string | undefined, key: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`(?:^|\\s)${key}(?:=| )(\\S+)`).exec(header);
  return m?.[1];
}

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1");
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/**
 * Verifies `PVEAPIToken=USER@REALM!TOKENID=SECRET` as PVE's `verify_token` does: the last `=`
 * separates id and secret; the user must be enabled and unexpired, the token must exist, be
 * unexpired and match.
 */
function tokenAuth(state: SimState, apiToken: string, nowSec: number): AuthContext {
  const eq = apiToken.lastIndexOf("=");
  if (eq <= 0) throw denied();
  const id = splitTokenId(apiToken.slice(0, eq));
  if (!id) throw denied();
  const user = own(accessState(state).users, id.userid);
  const token = own(user?.tokens, id.name);
  if (!user || !userActive(user, nowSec) || !token) throw denied();
  if (token.expire !== 0 && token.expire < nowSec) throw denied("authentication failure - token expired");
  const given = Buffer.from(tokenHash(apiToken.slice(eq + 1)), "hex");
  if (!crypto.timingSafeEqual(given, Buffer.from(token.secretSha256, "hex"))) throw denied();
  return { userid: id.userid, tokenid: id.name };
}

/**
 * Authenticates a request by API token (Authorization header) or ticket (`PVEAuthCookie` cookie,
 * plus the `CSRFPreventionToken` header on anything but GET). Throws 401 like PVE otherwise.
 */
export function authenticate(state: SimState, method: string, headers: IncomingHttpHeaders, nowSec: number): AuthContext {
  const apiToken = headerValue(headers.authorization, "PVEAPIToken");
  if (apiToken) return tokenAuth(state, apiToken, nowSec);
  const ticket = cookieValue(headers.cookie, "PVEAuthCookie");
  if (!ticket) throw denied("No ticket");
  const access = accessState(state);
  const userid = verifyTicket(access.ticketKey, ticket, nowSec);
  if (!userid || !userActive(own(access.users, userid), nowSec)) throw denied("No ticket");
  if (method !== "GET") {
    const csrf = headers.csrfpreventiontoken;
    const token = Array.isArray(csrf) ? csrf[0] : csrf;
    if (!token || !verifyCsrfToken(access.ticketKey, userid, token, nowSec)) throw denied("Permission denied - invalid csrf token");
  }
  return { userid };
}
