import { createHash } from "crypto";
import { PveError } from "../pve-error";

/**
 * Cloud-init option values as PVE handles them: `sshkeys` arrive and are stored URL-encoded
 * (bpg/proxmox sends `ssh-ed25519%20AAAA…%0A…`) and are validated like `ssh-keygen -l` would;
 * `cipassword` is stored crypt(3)-hashed and always read back as `**********`.
 */

/** Perl's `uri_unescape`: `%XX` sequences only (a `+` stays a `+`). */
export function uriUnescape(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function readString(blob: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > blob.length) return undefined;
  const len = blob.readUInt32BE(offset);
  if (offset + 4 + len > blob.length) return undefined;
  return { value: blob.subarray(offset + 4, offset + 4 + len), next: offset + 4 + len };
}

const KEY_TYPES = /^(ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$/;

/** Whether one authorized_keys line holds a well-formed public key (type matches the key blob). */
export function isValidSshKeyLine(line: string): boolean {
  const fields = line.trim().split(/\s+/);
  for (let i = 0; i + 1 < fields.length; i++) {
    if (!KEY_TYPES.test(fields[i])) continue;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(fields[i + 1])) return false;
    const blob = Buffer.from(fields[i + 1], "base64");
    const type = readString(blob, 0);
    return !!type && type.value.toString("latin1") === fields[i] && type.next < blob.length;
  }
  return false;
}

/** PVE's `validate_ssh_public_keys` on the unescaped `sshkeys` value. */
export function validateSshKeys(escaped: string): void {
  for (const line of uriUnescape(escaped).split("\n")) {
    if (/^\s*$/.test(line)) continue;
    if (!isValidSshKeyLine(line)) throw new PveError(500, "SSH public key validation error");
  }
}

/** What PVE shows instead of the stored password hash. */
export const MASKED_PASSWORD = "**********";

/**
 * PVE's `encrypt_pw` for a cloud-init password: a SHA-512 crypt(3)-style string. Values that
 * already are crypt hashes are kept, as PVE does.
 */
export function hashCloudinitPassword(password: string, random: () => number): string {
  if (/^\$(?:[156]|2[ay])(\$.+){2}/.test(password)) return password;
  const saltChars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const salt = Array.from({ length: 16 }, () => saltChars[Math.floor(random() * saltChars.length)]).join("");
  const hash = createHash("sha512").update(`${salt}$${password}`).digest("base64").replace(/[+=]/g, ".").slice(0, 86);
  return `$6$${salt}$${hash}`;
}
