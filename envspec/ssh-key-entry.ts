import { z } from "zod";
import { sshKeyFingerprint } from "../constructs/ssh-key-fingerprint";
import { describeValue } from "./describe-value";
import { SSH_PUBLIC_KEY_PATTERN, sshPublicKeyProblem } from "./ssh-public-key";

/** `YYYY-MM-DD`, the only form of a date the spec accepts. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days a key's `added` date may lie ahead of today's UTC date: a user east of UTC is a day ahead. */
const FUTURE_TOLERANCE_DAYS = 1;

const DAY_MS = 86_400_000;

/** One entry of `cloudInit.sshKeys`: a plain key line (legacy, age unknown) or a key with the day it was added. */
export type SshKeyEntry = string | { readonly key: string; readonly added: string };

/** A key of the environment with what is known about it. */
export interface SshKeyRecord {
  /** The OpenSSH public key line. */
  readonly key: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /**
   * Day the key was added (`YYYY-MM-DD`).
   * @default undefined — a plain key line: its age is unknown (policy rule PVE-CI-005 warns)
   */
  readonly added?: string;
}

/** The key line of an entry. */
export function sshKeyLine(entry: SshKeyEntry): string {
  return typeof entry === "string" ? entry : entry.key;
}

/** An entry as a record: its line, fingerprint and (when written) the day it was added. */
export function sshKeyRecord(entry: SshKeyEntry): SshKeyRecord {
  const key = sshKeyLine(entry);
  return { key, fingerprint: sshKeyFingerprint(key), ...(typeof entry === "string" ? {} : { added: entry.added }) };
}

/** Today's UTC date as `YYYY-MM-DD` (the form `added` takes). */
export function isoDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Why `text` is not an acceptable `added` date, or undefined when it is. */
export function keyDateProblem(text: string, now: Date = new Date()): string | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return `must be a date written YYYY-MM-DD, got ${describeValue(text)}`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return `${text} is not a calendar date`;
  if (year < 2000) return `${text} is before 2000; write the day the key was added to this environment`;
  if (date.getTime() > Date.parse(isoDay(now)) + FUTURE_TOLERANCE_DAYS * DAY_MS) {
    return `${text} is in the future (today is ${isoDay(now)}); write the day the key was added, e.g. today`;
  }
  return undefined;
}

/** Whole days from `added` (`YYYY-MM-DD`) to `now`'s UTC day. */
export function keyAgeDays(added: string, now: Date = new Date()): number {
  return Math.floor((Date.parse(isoDay(now)) - Date.parse(added)) / DAY_MS);
}

const keyDate = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a date written YYYY-MM-DD, got ${describeValue(issue.input)}`) })
    .superRefine((value, ctx) => {
      const problem = keyDateProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", input: value, message: problem });
    })
    .meta({ pattern: ISO_DATE.source })
    .describe("Day the key was added (YYYY-MM-DD, UTC); policy rule PVE-CI-005 judges its age.");

// The patterns are for editors (JSON Schema); the checks run in sshKeyEntry's refinement, so a bad
// key line is reported once, with what is wrong with it.
const keyLine = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `expected an SSH public key line, got ${describeValue(issue.input)}`) })
    .meta({ pattern: SSH_PUBLIC_KEY_PATTERN.source });

/**
 * Zod schema of one `cloudInit.sshKeys` entry: a key line (its age unknown) or `{ key, added }`.
 * Both forms are checked by {@link sshPublicKeyProblem} (a private key pasted by mistake, DSA,
 * short RSA, truncated data); the problem is reported on the key line itself.
 */
export function sshKeyEntry() {
  return z
    .union([keyLine(), z.strictObject({ key: keyLine(), added: keyDate() })], {
      error: (issue) => `expected an SSH public key line or a mapping { key, added }, got ${describeValue(issue.input)}`,
    })
    .superRefine((entry, ctx) => {
      const problem = sshPublicKeyProblem(sshKeyLine(entry));
      if (problem !== undefined) ctx.addIssue({ code: "custom", input: entry, path: typeof entry === "string" ? [] : ["key"], message: problem });
    })
    .describe('OpenSSH public key line ("ssh-ed25519 AAAA... user@host"), or { key, added: YYYY-MM-DD } so its age can be judged.');
}
