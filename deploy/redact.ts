/**
 * Redaction of secrets from text the tool shows or records (the audit log, the console's run log,
 * error pages): API tokens, connection strings, private keys, PBS encryption keys and passwords.
 * A PEM private key printed line by line is redacted whole by a {@link Redactor}, which keeps its
 * state from one line to the next.
 */

const MARK = "[redacted]";

/** A PVE API token (`user@realm!name=uuid`, with or without `PVEAPIToken=`) or a PostgreSQL URL. */
const TOKEN_OR_URL = /(PVEAPIToken=)?[A-Za-z0-9._-]+@[A-Za-z0-9._-]+![A-Za-z0-9._-]+[=:][0-9a-f-]{8,}|postgres(ql)?:\/\/[^\s]+/gi;

/**
 * The value of a setting named like a secret: `password=…`, `TF_VAR_pbs_password=…`,
 * `encryption-key=…`, `--password …`, the JSON form `"password": "…"`, the YAML form
 * `password: …`, and `secret hunter2` — after a space only a quoted value or a word with a digit or
 * symbol in it, so prose ("the password file", "password login is disabled") stays. A terraform
 * `(sensitive value)` placeholder is left as it is.
 */
const SECRET_SETTING =
  /((?:[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|encryption[_-]key|private[_-]key))["']?(?:\s*[:=]\s*|\s+(?![:=(])(?=["']|[^\s,;)]*[^A-Za-z\s,;).!?"']))|--(?:password|passphrase|secret|encryption-key|keyfile)[= ])(?!\(sensitive)("(?:[^"\\]|\\.)*"?|'[^']*'?|\{[^}]*\}?|[^\s,;)]+)/gi;

/** Key material after a word that names it: `"data": "<base64>"` (a PBS key file), `key=<base64>`, `token: <base64>`. */
const NAMED_KEY_MATERIAL = /((?:key|secret|token|private|data)["']?\s*[:=]\s*["']?)[A-Za-z0-9+/_-]{32,}={0,2}/gi;

/** A public key's base64 body follows its type; it is not secret. */
const PUBLIC_KEY_TYPE = /(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+$/;

/**
 * A long run of base64 that is clearly key material: 64 characters or more mixing upper and lower
 * case letters and digits (a hex checksum has no upper case; resource addresses have separators).
 */
const LONG_BASE64 = /[A-Za-z0-9+/]{64,}={0,2}/g;

/** A PEM private key's armour (RSA, EC, OPENSSH, ENCRYPTED, plain PKCS#8…); dashes may be lost. */
const PEM_BEGIN = /-{2,}\s*BEGIN [A-Z0-9 ]*PRIVATE KEY\s*-{2,}/;
const PEM_END = /-{2,}\s*END [A-Z0-9 ]*PRIVATE KEY\s*-{2,}/;
/** A whole PEM private key inside one line (e.g. with `\n` escapes), or its start to the end of the line. */
const PEM_IN_LINE =
  /-{2,}\s*BEGIN [A-Z0-9 ]*PRIVATE KEY\s*-{2,}(?:(?!-{2,}\s*END [A-Z0-9 ]*PRIVATE KEY)[\s\S])*(?:-{2,}\s*END [A-Z0-9 ]*PRIVATE KEY\s*-{2,}|$)/g;
/** What a line inside a PEM block may be: base64 body, an RFC 1421 header (Proc-Type, DEK-Info) or blank. */
const PEM_BODY = /^\s*([A-Za-z0-9+/=]*|(Proc-Type|DEK-Info):.*)\s*$/;

function redactLongBase64(line: string): string {
  return line.replace(LONG_BASE64, (run, offset: number) => {
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/[0-9]/.test(run)) return run;
    if (PUBLIC_KEY_TYPE.test(line.slice(0, offset))) return run;
    return MARK;
  });
}

/** The single-line rules: tokens, connection strings, whole private keys, secret settings, key material. */
function redactLine(line: string): string {
  return redactLongBase64(
    line
      .replace(PEM_IN_LINE, `${MARK} private key`)
      .replace(TOKEN_OR_URL, MARK)
      .replace(SECRET_SETTING, (_, name: string) => `${name}${MARK}`)
      .replace(NAMED_KEY_MATERIAL, (_, name: string) => `${name}${MARK}`),
  );
}

/**
 * Redacts a stream of lines, such as a run's log arriving one line (or several) at a time. A line
 * that opens a PEM private key hides every following line up to its END line, even when each
 * arrives in a call of its own; a block cut short (a line that cannot be part of it) ends the
 * hiding there.
 */
export class Redactor {
  private inPrivateKey = false;

  /** The redacted lines of `text` (split at line breaks); lines inside a private key are dropped, its first shows the mark. */
  lines(text: string): string[] {
    const out: string[] = [];
    for (const line of text.split(/\r?\n/)) {
      if (this.inPrivateKey) {
        if (PEM_END.test(line)) {
          this.inPrivateKey = false;
          const rest = line.slice(line.search(PEM_END)).replace(PEM_END, "");
          if (rest.trim() !== "") out.push(redactLine(rest));
          continue;
        }
        if (PEM_BODY.test(line)) continue;
        this.inPrivateKey = false;
      }
      const begin = line.search(PEM_BEGIN);
      if (begin >= 0 && !PEM_END.test(line.slice(begin))) {
        this.inPrivateKey = true;
        out.push(`${redactLine(line.slice(0, begin))}${MARK} private key`);
        continue;
      }
      out.push(redactLine(line));
    }
    return out;
  }
}

/** Removes anything shaped like a secret from one message (its lines redacted as one stream). */
export function redact(text: string): string {
  return new Redactor().lines(text).join("\n");
}
