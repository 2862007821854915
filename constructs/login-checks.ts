import { Token } from "cdktf";
import { checkSecretToken } from "./input-checks";

/** An OpenSSH public key line (type, base64 body, optional comment). */
const OPENSSH_PUBLIC_KEY = /^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/;

/** The login of a guest's account as the constructs take it: keys always, a password only by explicit opt-in. */
export interface GuestLogin {
  readonly sshKeys: readonly string[];
  readonly allowPasswordLogin?: boolean;
  readonly password?: string;
}

/**
 * Throws unless the login is key-based: at least one OpenSSH public key, and a password only with
 * `allowPasswordLogin` and only as a single token (a literal would be written into the synthesised JSON).
 * `field` is the prop holding the login (`user`), `guest` what the owner is ("a hardened VM").
 */
export function checkGuestLogin(owner: string, field: string, login: GuestLogin, guest: string): void {
  if (login.sshKeys.length === 0) {
    throw new Error(`${owner}: ${field}.sshKeys is empty — ${guest} needs at least one public key (password login is disabled).`);
  }
  for (const key of login.sshKeys) {
    if (!Token.isUnresolved(key) && !OPENSSH_PUBLIC_KEY.test(key)) {
      throw new Error(`${owner}: ${field}.sshKeys contains "${key.slice(0, 40)}…", which is not an OpenSSH public key.`);
    }
  }
  if (login.password === undefined) return;
  if (!login.allowPasswordLogin) {
    throw new Error(`${owner}: ${field}.password is set but allowPasswordLogin is not — set allowPasswordLogin: true to accept the weaker login explicitly.`);
  }
  checkSecretToken(owner, `${field}.password`, login.password);
}
