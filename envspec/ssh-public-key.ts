import { describeValue } from "./describe-value";

const KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/** An OpenSSH `authorized_keys` line: type, base64 blob, optional comment. */
export const SSH_PUBLIC_KEY_PATTERN = new RegExp(`^(${KEY_TYPES.map((t) => t.replace(/\./g, "\\.")).join("|")}) AAAA[A-Za-z0-9+/]+={0,2}( [^\\r\\n]*)?$`);

/** Smallest RSA modulus accepted; shorter keys are breakable or refused by current OpenSSH. */
export const MIN_RSA_BITS = 2048;

/** Why `line` is not an acceptable public key, or undefined when it is. */
export function sshPublicKeyProblem(line: string): string | undefined {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(line)) {
    return "this is a PRIVATE key: put the public key (the .pub file) here, and replace this key pair, it is no longer secret";
  }
  if (line.startsWith("ssh-dss ")) return "DSA (ssh-dss) keys are insecure and refused by OpenSSH; use an ssh-ed25519 key";
  if (!SSH_PUBLIC_KEY_PATTERN.test(line)) {
    return `must be one OpenSSH public key line like "ssh-ed25519 AAAA... user@host" (types: ${KEY_TYPES.join(", ")}), got ${describeValue(line)}`;
  }
  const [type, base64] = line.split(" ");
  const blob = Buffer.from(base64, "base64");
  if (blob.toString("base64") !== base64) return `the key data of this ${type} key is not valid base64; copy the whole line from the .pub file`;
  const fields = readStrings(blob);
  if (fields === undefined || fields[0]?.toString("latin1") !== type) {
    return `the key data does not contain a ${type} key (truncated or pasted from another key?); copy the whole line from the .pub file`;
  }
  if (type === "ssh-ed25519" && fields[1]?.length !== 32) return "the ssh-ed25519 key data is truncated; copy the whole line from the .pub file";
  if (type === "ssh-rsa") {
    const modulus = fields[2] ?? Buffer.alloc(0);
    const bits = rsaBits(modulus);
    if (bits < MIN_RSA_BITS) return `RSA key has ${bits} bits, at least ${MIN_RSA_BITS} are required; prefer a new ssh-ed25519 key`;
  }
  return undefined;
}

/** Splits an SSH wire-format blob into its length-prefixed strings, or undefined if the lengths do not add up. */
function readStrings(blob: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) return undefined;
    out.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}

function rsaBits(modulus: Buffer): number {
  let i = 0;
  while (i < modulus.length && modulus[i] === 0) i++;
  if (i === modulus.length) return 0;
  return (modulus.length - i - 1) * 8 + Math.floor(Math.log2(modulus[i])) + 1;
}
