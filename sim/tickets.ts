import * as crypto from "crypto";

/** Tickets are valid for two hours, like PVE's. */
const TICKET_LIFETIME_SEC = 7200;
/** PVE tolerates tickets from up to five minutes in the future (clock skew between nodes). */
const MAX_SKEW_SEC = 300;

function sign(keyHex: string, data: string): string {
  return crypto.createHmac("sha256", Buffer.from(keyHex, "hex")).update(data).digest("base64");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function fresh(timeHex: string, nowSec: number): boolean {
  if (!/^[0-9A-F]{8}$/.test(timeHex)) return false;
  const age = nowSec - parseInt(timeHex, 16);
  return age >= -MAX_SKEW_SEC && age < TICKET_LIFETIME_SEC;
}

const hexTime = (sec: number): string => sec.toString(16).toUpperCase().padStart(8, "0");

/** A PVE-shaped ticket `PVE:<userid>:<time hex>::<signature>` (HMAC instead of PVE's RSA signature). */
export function createTicket(keyHex: string, userid: string, nowSec: number): string {
  const plain = `PVE:${userid}:${hexTime(nowSec)}`;
  return `${plain}::${sign(keyHex, plain)}`;
}

/** The user id of a valid, unexpired ticket; undefined otherwise. */
export function verifyTicket(keyHex: string, ticket: string, nowSec: number): string | undefined {
  const m = /^(PVE:([^:]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
  if (!m || !fresh(m[3], nowSec)) return undefined;
  return safeEqual(sign(keyHex, m[1]), m[4]) ? m[2] : undefined;
}

/** A CSRF prevention token `<time hex>:<signature>` bound to the user. */
export function createCsrfToken(keyHex: string, userid: string, nowSec: number): string {
  const t = hexTime(nowSec);
  return `${t}:${sign(keyHex, `csrf:${t}:${userid}`)}`;
}

/** Whether `token` is a valid, unexpired CSRF token of `userid`. */
export function verifyCsrfToken(keyHex: string, userid: string, token: string, nowSec: number): boolean {
  const m = /^([0-9A-F]{8}):(.+)$/.exec(token);
  return !!m && fresh(m[1], nowSec) && safeEqual(sign(keyHex, `csrf:${m[1]}:${userid}`), m[2]);
}
