import * as crypto from "crypto";
import { BUILTIN_ROLES } from "./builtin-roles";
import { doesNotExist } from "./pve-error";
import type { AuthContext } from "./route";
import type { SimState } from "./sim-state";
import { own } from "./dict";

/** An API token of a user (user.cfg `token:` line); the secret is stored as a SHA-256 hash. */
export interface TokenRecord {
  privsep: 0 | 1;
  /** Seconds since epoch; 0 = never. */
  expire: number;
  comment?: string;
  secretSha256: string;
}

/** A user (user.cfg `user:` line) with its tokens. */
export interface UserRecord {
  enable: 0 | 1;
  /** Seconds since epoch; 0 = never. */
  expire: number;
  comment?: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  keys?: string;
  groups: string[];
  /** scrypt hash `salt:hash` (hex) of the password; realm pam/pve users without one cannot log in. */
  password?: string;
  tokens: Record<string, TokenRecord>;
}

/** One ACL entry (user.cfg `acl:` line, one role per entry). */
export interface AclEntry {
  path: string;
  type: "user" | "group" | "token";
  /** User id, group id or full token id (`user@realm!name`). */
  ugid: string;
  roleid: string;
  propagate: 0 | 1;
}

/** The `access` slice: users, groups, custom roles, ACL, and the secrets the simulator itself needs. */
export interface AccessState {
  users: Record<string, UserRecord>;
  groups: Record<string, { comment?: string }>;
  /** Custom roles only; built-in roles come from {@link BUILTIN_ROLES}. */
  roles: Record<string, string[]>;
  acl: AclEntry[];
  /** HMAC key of tickets and CSRF tokens (hex). */
  ticketKey: string;
  /** What the simulator prints at start: root@pam's password and full token `root@pam!sim=<uuid>`. */
  bootstrap: { rootPassword: string; rootToken: string };
}

/** Realms that exist in the simulator (no LDAP/AD/OpenID). */
export const REALMS = [
  { realm: "pam", type: "pam", comment: "Linux PAM standard authentication" },
  { realm: "pve", type: "pve", comment: "Proxmox VE authentication server" },
] as const;

/** Name of the bootstrap token of root@pam (privsep=0). */
export const BOOTSTRAP_TOKEN_NAME = "sim";

/** SHA-256 (hex) of a token secret. */
export function tokenHash(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

/** scrypt hash of a password, `salt:hash` in hex. */
export function passwordHash(password: string): string {
  const salt = crypto.randomBytes(16);
  return `${salt.toString("hex")}:${crypto.scryptSync(password, salt, 32).toString("hex")}`;
}

/** Constant-time check of a password against a {@link passwordHash}. */
export function passwordMatches(password: string, stored: string | undefined): boolean {
  if (!stored) return false;
  const [salt, hash] = stored.split(":");
  const actual = crypto.scryptSync(password, Buffer.from(salt, "hex"), 32);
  return crypto.timingSafeEqual(actual, Buffer.from(hash, "hex"));
}

/** Options of {@link accessState}'s first initialisation. */
export interface AccessBootstrap {
  /** Password of root@pam; random when absent. */
  readonly rootPassword?: string;
}

/** The access slice of `state`, created with root@pam and its privsep=0 token on first use. */
export function accessState(state: SimState, bootstrap: AccessBootstrap = {}): AccessState {
  return state.slice<AccessState>("access", () => {
    const rootPassword = bootstrap.rootPassword ?? crypto.randomBytes(18).toString("base64url");
    const secret = crypto.randomUUID();
    return {
      users: {
        "root@pam": {
          enable: 1,
          expire: 0,
          email: "root@localhost",
          groups: [],
          password: passwordHash(rootPassword),
          tokens: { [BOOTSTRAP_TOKEN_NAME]: { privsep: 0, expire: 0, comment: "simulator bootstrap token", secretSha256: tokenHash(secret) } },
        },
      },
      groups: {},
      roles: {},
      acl: [],
      ticketKey: crypto.randomBytes(32).toString("hex"),
      bootstrap: { rootPassword, rootToken: `root@pam!${BOOTSTRAP_TOKEN_NAME}=${secret}` },
    };
  });
}

/** The privileges of role `roleid`, built-in or custom; undefined when no such role. */
export function rolePrivileges(access: AccessState, roleid: string): readonly string[] | undefined {
  return own(BUILTIN_ROLES, roleid) ?? own(access.roles, roleid);
}

/** The user, or PVE's `no such user ('x')` error (500, as PVE answers it). */
export function requireUser(access: AccessState, userid: string): UserRecord {
  const user = own(access.users, userid);
  // PVE's own text; note that bpg/proxmox does not recognise it as "does not exist".
  if (!user) throw doesNotExist(`no such user ('${userid}')`);
  return user;
}

/** The PVE auth id of a caller: the user id, or the full token id `user@realm!token`. */
export function authId(auth: AuthContext): string {
  return auth.tokenid ? `${auth.userid}!${auth.tokenid}` : auth.userid;
}

/** Splits a full token id `user@realm!name` into user id and token name. */
export function splitTokenId(tokenid: string): { userid: string; name: string } | undefined {
  const bang = tokenid.lastIndexOf("!");
  if (bang <= 0) return undefined;
  return { userid: tokenid.slice(0, bang), name: tokenid.slice(bang + 1) };
}

/** True when `userid`'s account is enabled and not expired at `nowSec`. */
export function userActive(user: UserRecord | undefined, nowSec: number): boolean {
  return !!user && user.enable === 1 && (user.expire === 0 || user.expire > nowSec);
}
