import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, isSeq, Scalar, YAMLMap } from "yaml";
import { SSH_FINGERPRINT_PATTERN, sshKeyFingerprint } from "../constructs/ssh-key-fingerprint";
import { parseEnvironment, resolveDefaults } from "../envspec";
import { isoDay } from "../envspec/ssh-key-entry";
import { sshPublicKeyProblem } from "../envspec/ssh-public-key";
import { readYamlDocument, yamlDocumentText } from "../io/yaml-document";

/** What `rotate-keys` is asked to do. */
export interface KeyRotationRequest {
  /** OpenSSH public key lines to add (each gets today's date as `added`). */
  readonly add: readonly string[];
  /** Fingerprints (`SHA256:…`, as `ssh-keygen -l` prints them) of keys to remove. */
  readonly remove: readonly string[];
  /**
   * Re-push the spec's current key set unchanged (`--push`), e.g. to finish a run whose Ansible
   * push failed; `add` and `remove` must then be empty.
   * @default false
   */
  readonly push?: boolean;
}

/** A validated rotation: the spec text before and after, and what changes — by fingerprint only. */
export interface KeyRotation {
  /** `environments/<env>.yaml`. */
  readonly file: string;
  /** The spec as it was read (to restore it when the run is refused before anything changed). */
  readonly before: string;
  /** The spec with the new keys, comments and layout kept; valid. */
  readonly after: string;
  /** Fingerprints of the keys added, in request order. */
  readonly added: readonly string[];
  /** Fingerprints of the keys removed, in request order. */
  readonly removed: readonly string[];
  /** The login user whose authorized_keys the guests get. */
  readonly user: string;
  /** The key lines after the rotation, in spec order: exactly what the guests' authorized_keys hold. */
  readonly keys: readonly string[];
}

/** A rotation request that cannot be carried out; nothing was changed. */
export class KeyRotationRefused extends Error {}

/**
 * Checks a rotation against `environments/<env>.yaml` and computes the new spec text, changing
 * nothing: every added key is a valid public key not in the spec yet, every fingerprint names a key
 * of the spec, at least one key is left, and the edited spec is valid as a whole. Throws
 * {@link KeyRotationRefused} (or the spec's own SpecError) naming the bad value and the fix.
 * Messages name keys by fingerprint only.
 */
export function prepareKeyRotation(root: string, env: string, request: KeyRotationRequest, now: Date = new Date()): KeyRotation {
  const file = path.join(root, "environments", `${env}.yaml`);
  if (!fs.existsSync(file)) throw new KeyRotationRefused(`No environment "${env}": environments/${env}.yaml does not exist.`);
  const before = fs.readFileSync(file, "utf8");
  const current = resolveDefaults(parseEnvironment(before, file));
  const changes = request.add.length + request.remove.length;
  if (request.push === true && changes > 0) {
    throw new KeyRotationRefused("--push re-pushes the spec's current keys; give it without --add and --remove (or run those without --push).");
  }
  if (request.push !== true && changes === 0) {
    throw new KeyRotationRefused(
      "Nothing to rotate: give --add KEY (a public key line) and/or --remove FINGERPRINT, or --push to push the spec's current keys again.",
    );
  }
  const adopted = Object.values(current.adopted ?? {});
  if (adopted.length > 0) {
    throw new KeyRotationRefused(
      `rotate-keys cannot change the keys of adopted guests (${adopted.map((g) => `${g.name}: ${g.kind} ${g.vmid}`).join(", ")}): ` +
        "their keys are not managed by the inventory yet, so the run would report a key removed that still works on them. " +
        `Rotate their keys by hand, or remove them from adopted: in environments/${env}.yaml, then run rotate-keys again.`,
    );
  }
  const containers = Object.entries(current.tiers).filter(([, t]) => t.kind === "container");
  if (containers.length > 0) {
    throw new KeyRotationRefused(
      `rotate-keys changes keys in place, which containers cannot take: PVE writes a container's keys only when it is created (tier ${containers.map(([n]) => n).join(", ")}). ` +
        `Edit cloudInit.sshKeys and run \`proxmox-cdk up ${env}\`, which replaces the containers after asking.`,
    );
  }
  const present = new Map(current.cloudInit.sshKeyRecords.map((r, i) => [r.fingerprint, i]));
  const added: string[] = [];
  request.add.forEach((line, i) => {
    const where = `--add #${i + 1}`;
    const problem = sshPublicKeyProblem(line.trim());
    if (problem !== undefined) throw new KeyRotationRefused(`${where}: ${problem}`);
    const fingerprint = sshKeyFingerprint(line);
    const at = present.get(fingerprint);
    if (at !== undefined) throw new KeyRotationRefused(`${where}: key ${fingerprint} is already cloudInit.sshKeys[${at}] of environments/${env}.yaml.`);
    if (added.includes(fingerprint)) throw new KeyRotationRefused(`${where}: key ${fingerprint} is given twice.`);
    added.push(fingerprint);
  });
  const removed: string[] = [];
  for (const fingerprint of request.remove) {
    if (!SSH_FINGERPRINT_PATTERN.test(fingerprint)) {
      throw new KeyRotationRefused(
        `--remove takes a key's fingerprint as \`ssh-keygen -lf key.pub\` prints it (SHA256: and 43 characters), got ${JSON.stringify(fingerprint.slice(0, 60))}.`,
      );
    }
    if (!present.has(fingerprint)) {
      const known = [...present.keys()].join(", ");
      throw new KeyRotationRefused(`--remove ${fingerprint}: no key of environments/${env}.yaml has this fingerprint (its keys: ${known}).`);
    }
    if (removed.includes(fingerprint)) throw new KeyRotationRefused(`--remove ${fingerprint} is given twice.`);
    removed.push(fingerprint);
  }
  if (present.size - removed.length + added.length === 0) {
    throw new KeyRotationRefused(
      "That would remove the last key: password login is disabled on the guests, so nobody could log in. Add the new key in the same run.",
    );
  }

  const doc = readYamlDocument(file, before);
  const seq = doc.getIn(["cloudInit", "sshKeys"], true);
  if (!isSeq(seq)) throw new KeyRotationRefused(`${file}: cloudInit.sshKeys is not a list.`);
  seq.items = seq.items.filter((item) => !removed.includes(sshKeyFingerprint(itemLine(item))));
  // Written like the shipped specs: a flow mapping on one line, the date quoted (YAML 1.1 would read
  // an unquoted date as a timestamp, which the spec refuses).
  const day = isoDay(now);
  for (const line of request.add) {
    const entry = new YAMLMap<Scalar, Scalar>();
    entry.flow = true;
    entry.set(new Scalar("key"), quoted(line.trim()));
    entry.set(new Scalar("added"), quoted(day));
    seq.items.push(entry);
  }
  // A re-push keeps the file byte for byte.
  const after = request.push === true ? before : yamlDocumentText(doc);
  const next = resolveDefaults(parseEnvironment(after, file));
  return { file, before, after, added, removed, user: next.cloudInit.user, keys: next.cloudInit.sshKeys };
}

/** The key line of a spec list item (a plain line or a `{ key, added }` mapping). */
function itemLine(item: unknown): string {
  const value = isScalar(item) ? item.value : isMap(item) ? item.get("key") : undefined;
  return typeof value === "string" ? value : "";
}

function quoted(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}
