import { createHash } from "crypto";

/** An OpenSSH SHA256 fingerprint as `ssh-keygen -lf` prints it: `SHA256:` and 43 base64 characters, no padding. */
export const SSH_FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * The SHA256 fingerprint of an OpenSSH public key line (`type base64 [comment]`), as OpenSSH prints
 * it: the SHA-256 of the decoded key blob, base64 without `=` padding. The one place fingerprints
 * are computed: the spec, the policy rule, `rotate-keys` and the audit log all use it, and only
 * fingerprints (never key material) are shown or logged.
 */
export function sshKeyFingerprint(line: string): string {
  const blob = line.trim().split(/\s+/)[1] ?? "";
  return `SHA256:${createHash("sha256").update(Buffer.from(blob, "base64")).digest("base64").replace(/=+$/, "")}`;
}
