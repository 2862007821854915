import { createHash, randomBytes, timingSafeEqual } from "crypto";

/**
 * The console's defences, in one place: the access token of the printed URL, per-session CSRF
 * tokens, the `Host` check against DNS rebinding, and the response headers (strict CSP).
 */

/** A fresh random secret (256 bits, URL-safe). */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Compares a secret in constant time: both sides are hashed first, so neither the content nor the
 * length of `expected` leaks through timing.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * True when the request's `Host` header names the console itself (127.0.0.1 or localhost on its
 * port). Anything else is a page of another site resolving its own name to 127.0.0.1 (DNS rebinding).
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * True when a browser-sent `Origin` (absent on some same-origin form posts) is the console's own:
 * a second line of CSRF defence besides the form token.
 */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * Content-Security-Policy of every response: nothing is allowed unless listed; scripts and styles
 * only from the console's own /static files (no inline script), no frames, forms post to itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Headers sent with every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts.
  "Referrer-Policy": "same-origin",
  "Cache-Control": "no-store",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Name of the session cookie (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = "pcdk_session";

/** One browser session: opened with the access token, it holds the CSRF token of its forms. */
export interface Session {
  readonly id: string;
  readonly csrf: string;
}

/**
 * Sessions of one console run. A session is opened only with the access token (the URL printed
 * at start); forms carry the session's CSRF token and every POST is checked against it.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** Most sessions kept; the oldest goes first. */
  private static readonly MAX = 64;

  constructor(private readonly accessToken: string) {}

  /** Opens a session when `token` is the access token; undefined otherwise. */
  open(token: string | undefined): Session | undefined {
    if (!sameSecret(token, this.accessToken)) return undefined;
    const session = { id: newSecret(), csrf: newSecret() };
    this.sessions.set(session.id, session);
    if (this.sessions.size > SessionStore.MAX) this.sessions.delete(this.sessions.keys().next().value as string);
    return session;
  }

  /** The session of a cookie header, if it names one. */
  fromCookie(cookieHeader: string | undefined): Session | undefined {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (!id) return undefined;
    for (const session of this.sessions.values()) if (sameSecret(id, session.id)) return session;
    return undefined;
  }
}

/** True when a form's CSRF field is the session's token. */
export function validCsrf(session: Session, given: string | undefined): boolean {
  return sameSecret(given, session.csrf);
}

/** The value of cookie `name` in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
