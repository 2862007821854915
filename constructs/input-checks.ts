/**
 * Construction-time checks shared by the constructs. Each throws with the construct, the field,
 * the bad value and what to do instead.
 */
import { Tokenization } from "cdktf";
import { formatIpv4, parseIpv4 } from "../envspec/ipv4";

/** The IPv4 parser and printer of the environment spec (one home): dotted quads without leading zeros. */
export { formatIpv4 as ipv4ToText, parseIpv4 };

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Throws unless `value` is a lowercase DNS label (1-63 chars, a-z 0-9 and inner hyphens). */
export function checkDnsLabel(owner: string, field: string, value: string): void {
  if (!DNS_LABEL.test(value)) {
    throw new Error(`${owner}: ${field} "${value}" is not a valid DNS label — use 1-63 lowercase letters, digits and inner hyphens.`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkIntRange(owner: string, field: string, value: number, min: number, max: number, hint = ""): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${owner}: ${field} must be an integer between ${min} and ${max}, got ${value}${hint ? ` — ${hint}` : ""}.`);
  }
}

/** Throws unless `value` is IPv4 CIDR notation (`10.0.0.0/24`); with `network`, host bits must be zero. */
export function checkCidr(owner: string, field: string, value: string, opts: { network?: boolean } = {}): void {
  const [ip, prefixText, extra] = value.split("/");
  const addr = parseIpv4(ip ?? "");
  const prefix = /^\d{1,2}$/.test(prefixText ?? "") ? Number(prefixText) : NaN;
  if (extra !== undefined || addr === undefined || !(prefix >= 0 && prefix <= 32)) {
    throw new Error(`${owner}: ${field} "${value}" is not an IPv4 CIDR — write it like 10.0.0.0/24.`);
  }
  if (opts.network) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((addr & ~mask) >>> 0 !== 0) {
      throw new Error(`${owner}: ${field} "${value}" has host bits set — the network address is ${formatIpv4((addr & mask) >>> 0)}/${prefix}.`);
    }
  }
}

/** Throws unless `value` is a plain IPv4 address. */
export function checkIpv4(owner: string, field: string, value: string): void {
  if (parseIpv4(value) === undefined) {
    throw new Error(`${owner}: ${field} "${value}" is not an IPv4 address — write it like 10.0.0.1.`);
  }
}

/**
 * Throws unless `value` is exactly one token and nothing else, e.g. a sensitive TerraformVariable's
 * value. A literal would be written into the synthesised JSON, and so would the literal part of a
 * string that mixes text with a token (`"abc" + variable.value`); two tokens side by side are a
 * composition of secrets nobody can rotate as one. `field` names the prop (`password`).
 */
export function checkSecretToken(owner: string, field: string, value: string): void {
  // A TerraformVariable's `.value` is the token object itself (typed `any`), not its string form.
  if (Tokenization.isResolvable(value)) return;
  const fragments = Tokenization.reverseString(value);
  if (fragments.tokens.length === 0) {
    throw new Error(
      `${owner}: ${field} is a literal, which would be written into the synthesised JSON — pass a sensitive TerraformVariable's value (TF_VAR_…).`,
    );
  }
  if (fragments.length !== 1) {
    throw new Error(
      `${owner}: ${field} mixes literal text with a token (${fragments.length} parts), and the literal part would be written into the synthesised JSON — pass exactly one sensitive TerraformVariable's value (TF_VAR_…) holding the whole secret.`,
    );
  }
}
