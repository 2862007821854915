import * as net from "net";
import { isPrivilege } from "./builtin-roles";

/** Checks one value of a named format; returns the error text PVE gives, or undefined when valid. */
type FormatCheck = (value: string) => string | undefined;

const re =
  (pattern: RegExp, message: (v: string) => string): FormatCheck =>
  (v) =>
    pattern.test(v) ? undefined : message(v);

const USERID = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const TOKEN_NAME = /^[A-Za-z][A-Za-z0-9.\-_]+$/;

function cidr(v: string, family: 0 | 4 | 6): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const kind = net.isIP(m[1]);
  if (kind === 0 || (family !== 0 && kind !== family)) return false;
  return Number(m[2]) <= (kind === 4 ? 32 : 128);
}

const ip =
  (family: 0 | 4 | 6): FormatCheck =>
  (v) =>
    (family === 0 ? net.isIP(v) !== 0 : net.isIP(v) === family) ? undefined : `value does not look like a valid IP${family ? `v${family}` : ""} address`;

/**
 * The named formats the simulator checks, with PVE's messages. A format not listed here is
 * accepted unchecked (listed in docs/simulator.md). `-list` and `-opt` variants are derived.
 */
const FORMATS: Readonly<Partial<Record<string, FormatCheck>>> = {
  "pve-vmid": re(/^[1-9][0-9]{2,8}$/, () => "value does not look like a valid VM ID"),
  "pve-node": re(/^(?=.{1,63}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/, () => "value does not look like a valid node name"),
  "pve-configid": re(/^[a-z][a-z0-9_-]+$/i, (v) => `invalid configuration ID '${v}'`),
  "pve-storage-id": re(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, (v) => `storage ID '${v}' contains illegal characters`),
  "pve-userid": (v) => (v.length > 64 ? `user name '${v}' is too long` : USERID.test(v) ? undefined : `value '${v}' does not look like a valid user name`),
  "pve-tokenid": (v) => {
    const bang = v.lastIndexOf("!");
    const ok = bang > 0 && USERID.test(v.slice(0, bang)) && TOKEN_NAME.test(v.slice(bang + 1));
    return ok ? undefined : `value '${v}' does not look like a valid token ID`;
  },
  "pve-groupid": re(/^[A-Za-z0-9.\-_]+$/, (v) => `invalid group name '${v}'`),
  "pve-roleid": re(/^[A-Za-z0-9.\-_]+$/, (v) => `invalid role ID '${v}'`),
  "pve-realm": re(/^[A-Za-z][A-Za-z0-9.\-_]+$/, () => "value does not look like a valid realm"),
  "pve-poolid": re(/^[A-Za-z0-9.\-_]+(?:\/[A-Za-z0-9.\-_]+){0,2}$/, (v) => `invalid pool ID '${v}'`),
  "pve-priv": (v) => (isPrivilege(v) ? undefined : `invalid privilege '${v}'`),
  "pve-iface": re(/^[a-zA-Z][a-zA-Z0-9_]{1,20}([:.]\d+)?$/, (v) => `invalid network interface name '${v}'`),
  "pve-bridge-id": re(/^[-_.\w\d]+$/, (v) => `invalid bridge ID '${v}'`),
  ip: ip(0),
  ipv4: ip(4),
  ipv6: ip(6),
  CIDR: (v) => (cidr(v, 0) ? undefined : "value does not look like a valid CIDR network"),
  CIDRv4: (v) => (cidr(v, 4) ? undefined : "value does not look like a valid IPv4 CIDR network"),
  CIDRv6: (v) => (cidr(v, 6) ? undefined : "value does not look like a valid IPv6 CIDR network"),
  IPorCIDR: (v) => (net.isIP(v) !== 0 || cidr(v, 0) ? undefined : "value does not look like a valid IP address or CIDR network"),
  "mac-addr": re(/^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i, () => "value does not look like a valid unicast MAC address"),
  "dns-name": re(
    /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    () => "value does not look like a valid DNS name",
  ),
  email: re(/^[\w+\-~]+(?:\.[\w+\-~]+)*@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/, () => "value does not look like a valid email address"),
  "pve-volume-id": re(/^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$/i, (v) => `unable to parse volume ID '${v}'`),
  "pve-storage-content": re(/^(?:images|rootdir|vztmpl|iso|backup|snippets|import|none)$/, (v) => `invalid content type '${v}'`),
  "pve-tag": re(/^[a-z0-9_][a-z0-9_\-+.]*$/i, (v) => `invalid tag '${v}'`),
};

/** PVE's `split_list`: NUL-separated when NUL occurs, else on commas, semicolons and whitespace. */
export function splitList(text: string): string[] {
  if (text.includes("\0")) return text.split("\0");
  return text
    .replace(/[,;]/g, " ")
    .trim()
    .split(/\s+/)
    .filter((s) => s !== "");
}

/**
 * Checks `value` against the named format `format` as PVE's `check_format` does, including the
 * `<name>-list` (every element) and `<name>-opt` (empty allowed) variants. Returns the error
 * text, or undefined when valid or when the format is not one the simulator checks.
 */
export function checkNamedFormat(format: string, value: string): string | undefined {
  const list = /^(.*)-a?list$/.exec(format);
  if (list) {
    const check = FORMATS[list[1]];
    if (!check) return undefined;
    for (const item of splitList(value)) {
      const err = check(item);
      if (err) return err;
    }
    return undefined;
  }
  const opt = /^(.*)-opt$/.exec(format);
  if (opt) {
    const check = FORMATS[opt[1]];
    return check && value !== "" ? check(value) : undefined;
  }
  return FORMATS[format]?.(value);
}
