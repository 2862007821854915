import { PveError } from "../pve-error";
import { createHash } from "node:crypto";

function addEntry(hash: ReturnType<typeof createHash>, entry: object): void {
  const record = entry as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
    hash.update(`${key}:${String(value)}\n`, "utf8");
  }
}

/**
 * SHA-1 digest over a list of records, computed like PVE::Firewall::copy_list_with_digest
 * (sorted `key:value` lines). Clients send it back as `digest` to detect concurrent changes.
 */
export function listDigest(list: readonly object[]): string {
  const hash = createHash("sha1");
  for (const entry of list) addEntry(hash, entry);
  return hash.digest("hex");
}

/** SHA-1 digest of one record (PVE::Firewall::copy_opject_with_digest). */
export function objectDigest(entry: object): string {
  const hash = createHash("sha1");
  addEntry(hash, entry);
  return hash.digest("hex");
}

/** Copies of `list` each carrying the list's digest, as PVE's list endpoints answer. */
export function withDigest<T extends object>(list: readonly T[]): Array<T & { digest: string }> {
  const digest = listDigest(list);
  return list.map((entry) => ({ ...entry, digest }));
}

/**
 * PVE::Tools::assert_if_modified: a `digest` argument that no longer matches means someone else
 * changed the config since the client read it.
 */
export function assertDigest(current: string, given: string | undefined): void {
  if (given && given !== current) {
    throw new PveError(500, "detected modified configuration - file changed by other user? Try again.");
  }
}
