import { isIPv4, isIPv6 } from "node:net";

/**
 * IP address handling the way pve-firewall does it (PVE::Firewall::parse_ip_or_cidr, clean_cidr,
 * parse_address_list). PVE normalises what it stores, and the provider reads the normalised value
 * back, so these normalisations decide whether a re-plan is empty.
 */

/** Name pattern shared by aliases, ipsets and security groups in pve-firewall. */
export const FW_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9\-_]+$/;

/** 4 or 6, or `undefined` when the text is no IP address. */
export function ipVersion(address: string): 4 | 6 | undefined {
  if (isIPv4(address)) return 4;
  if (isIPv6(address)) return 6;
  return undefined;
}

/** Splits `addr[/len]`; throws PVE's message when either part is malformed. */
function splitCidr(cidr: string): { address: string; length?: number; version: 4 | 6 } {
  const [address, len, extra] = cidr.split("/");
  const version = ipVersion(address);
  const max = version === 4 ? 32 : 128;
  const length = len === undefined ? undefined : /^\d+$/.test(len) ? Number(len) : NaN;
  if (!version || extra !== undefined || (length !== undefined && !(length <= max))) {
    throw new Error("value does not look like a valid IP address or CIDR network");
  }
  return { address, length, version };
}

/**
 * PVE::Firewall::parse_ip_or_cidr: drops a host prefix (`/32`, `/128`), which is why an alias
 * written as `10.0.0.5/32` reads back as `10.0.0.5`.
 */
export function parseIpOrCidr(cidr: string): { cidr: string; version: 4 | 6 } {
  const { version } = splitCidr(cidr);
  const hostSuffix = version === 4 ? "/32" : "/128";
  return { cidr: cidr.endsWith(hostSuffix) ? cidr.slice(0, -hostSuffix.length) : cidr, version };
}

function toBigInt(address: string, version: 4 | 6): bigint {
  if (version === 4) return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const parse = (s: string | undefined): string[] => (s ? s.split(":") : []);
  let groups = parse(head);
  let rest = parse(tail);
  // an embedded IPv4 tail (::ffff:1.2.3.4) is two 16-bit groups
  const expandV4 = (list: string[]): string[] => {
    const last = list[list.length - 1];
    if (!last || !last.includes(".")) return list;
    const v4 = toBigInt(last, 4);
    return [...list.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
  };
  if (tail === undefined) groups = expandV4(groups);
  else rest = expandV4(rest);
  const zeros = tail === undefined ? [] : new Array<string>(8 - groups.length - rest.length).fill("0");
  return [...groups, ...zeros, ...rest].reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function fromBigInt(value: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // RFC 5952 compression: the longest run (>= 2) of zero groups becomes "::"
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j;
  }
  if (best.len < 2) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.len).join(":")}`;
}

/**
 * PVE::Firewall::clean_cidr: clears the host bits (`10.0.0.5/24` → `10.0.0.0/24`) and compresses
 * IPv6 addresses; ipset entries are stored that way.
 */
export function cleanCidr(cidr: string): string {
  const { address, length, version } = splitCidr(cidr);
  if (length === undefined || length === 0) return cidr;
  const bits = version === 4 ? 32n : 128n;
  const mask = ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(length))) - 1n);
  return `${fromBigInt(toBigInt(address, version) & mask, version)}/${length}`;
}

/** The IP version of one element of an address list: an IP, a CIDR, or a range `a-b`. */
function elementVersion(element: string): 4 | 6 {
  const range = element.split("-");
  if (range.length === 2) {
    const [from, to] = range.map(ipVersion);
    if (from && from === to) return from;
    throw new Error(`invalid IP address: Invalid IP range '${element}'`);
  }
  try {
    return splitCidr(element).version;
  } catch {
    throw new Error(`invalid IP address: Invalid IP address '${element}'`);
  }
}

/**
 * PVE::Firewall::parse_address_list for a rule's source/dest: an ipset reference (`+name`),
 * an alias name, or a comma list of addresses. Returns the IP version when the list fixes one.
 */
export function parseAddressList(text: string): 4 | 6 | undefined {
  if (text.startsWith("+")) return undefined;
  if (/^(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(text)) return undefined;
  const elements = text.split(",");
  if (elements.some((e) => e === "")) throw new Error("extraneous commas in list");
  let version: 4 | 6 | undefined;
  for (const element of elements) {
    const v = elementVersion(element);
    if (version && v !== version) throw new Error(`detected mixed ipv4/ipv6 addresses in address list '${text}'`);
    version = v;
  }
  if (elements.length > 1 && elements.some((e) => e.includes("-"))) throw new Error("you can't use a range in a list");
  return version;
}
