/**
 * The one home of the checks the HardenedVm construct and the spec schema make on user data: what
 * must never go into a cloud-init snippet (a plain file on the node), and what a value must look like.
 */

/** A setting name that holds a secret: password, passwd, chpasswd, hashed_passwd, secret, token, private…. */
export function isSecretKeyName(name: string): boolean {
  return /pass(wd|word)?|chpasswd|secret|token|private/i.test(name);
}

/** Text holding a PEM/OpenSSH private key block. */
export function holdsPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text);
}

/** A distribution package name (no shell syntax): letters, digits, `+ . : = ~ -`. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.:=~-]*$/;
