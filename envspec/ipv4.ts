import { z } from "zod";
import { describeValue } from "./describe-value";

/** An IPv4 network or address range: `address` is the 32-bit value as written, `prefix` its length. */
export interface Ipv4Cidr {
  readonly address: number;
  readonly prefix: number;
}

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const ADDRESS = `${OCTET}(\\.${OCTET}){3}`;
/** Dotted quad without leading zeros (`010` would be octal to some tools and decimal to others). */
export const IPV4_ADDRESS_PATTERN = new RegExp(`^${ADDRESS}$`);
/** Dotted quad with a mandatory `/prefix` of 0..32. */
export const IPV4_CIDR_PATTERN = new RegExp(`^${ADDRESS}/(3[0-2]|[12]?[0-9])$`);

/** Parses a dotted quad, or returns undefined. */
export function parseIpv4(text: string): number | undefined {
  if (!IPV4_ADDRESS_PATTERN.test(text)) return undefined;
  return text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Parses `a.b.c.d/p`, or returns undefined. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  if (!IPV4_CIDR_PATTERN.test(text)) return undefined;
  const [address, prefix] = text.split("/");
  return { address: parseIpv4(address)!, prefix: Number(prefix) };
}

/** Renders a 32-bit value as a dotted quad. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Number of addresses in the range. */
export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** First address of the range (host bits cleared). */
export function networkAddress(cidr: Ipv4Cidr): number {
  const size = cidrSize(cidr);
  return Math.floor(cidr.address / size) * size;
}

/** Last address of the range (the broadcast address of a subnet). */
export function lastAddress(cidr: Ipv4Cidr): number {
  return networkAddress(cidr) + cidrSize(cidr) - 1;
}

/** Whether `address` lies in the range. */
export function cidrContainsAddress(cidr: Ipv4Cidr, address: number): boolean {
  return address >= networkAddress(cidr) && address <= lastAddress(cidr);
}

/** Whether `inner` lies entirely in `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return cidrContainsAddress(outer, networkAddress(inner)) && cidrContainsAddress(outer, lastAddress(inner));
}

/** Whether two ranges share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return networkAddress(a) <= lastAddress(b) && networkAddress(b) <= lastAddress(a);
}

/** The addresses a static pool hands out, `first..last` (none when `count` is 0). */
export interface PoolHosts {
  readonly first: number;
  readonly last: number;
  readonly count: number;
}

/**
 * The addresses a static tier pool gives its VMs: the n-th VM takes the pool's network address + n,
 * so the pool's own first and last addresses are never used (10.30.0.16/28 gives 10.30.0.17 to
 * 10.30.0.30, 14 VMs; a /31 or /32 gives none). This is how the environment stack sets up VmGroup
 * (`firstHost: 1`); a test checks that both agree.
 */
export function poolHosts(pool: Ipv4Cidr): PoolHosts {
  const first = networkAddress(pool) + 1;
  const count = Math.max(0, cidrSize(pool) - 2);
  return { first, last: first + count - 1, count };
}

/** Zod schema of a dotted-quad IPv4 address. */
export function ipv4Address(description: string) {
  const message = (issue: { input?: unknown }) =>
    issue.input === undefined ? undefined : `must be an IPv4 address like 10.0.0.1, got ${describeValue(issue.input)}`;
  return z.string({ error: message }).regex(IPV4_ADDRESS_PATTERN, { error: message }).describe(description);
}

/**
 * Zod schema of an IPv4 CIDR whose host bits are zero (`10.0.0.0/24`, not `10.0.0.5/24`):
 * a network written with host bits set is almost always a typo for a different network.
 */
export function ipv4Network(description: string) {
  const message = (issue: { input?: unknown }) =>
    issue.input === undefined ? undefined : `must be an IPv4 network in CIDR form like 10.0.0.0/24, got ${describeValue(issue.input)}`;
  return z
    .string({ error: message })
    .regex(IPV4_CIDR_PATTERN, { error: message, abort: true })
    .superRefine((value, ctx) => {
      const cidr = parseCidr(value)!;
      const network = networkAddress(cidr);
      if (network !== cidr.address) {
        const fixed = `${formatIpv4(network)}/${cidr.prefix}`;
        ctx.addIssue({ code: "custom", input: value, message: `host bits must be zero: ${value} is not a network address; did you mean ${fixed}?` });
      }
    })
    .describe(description);
}
