import { createHash, randomBytes } from "crypto";
import { parameterError, PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import type { PbsTarget, StorageDef } from "./storage-config";

/** PBSPlugin::options: what a `pbs` storage.cfg entry may hold (`server` and `datastore` are fixed). */
const PBS_OPTIONS = new Set([
  "server",
  "datastore",
  "namespace",
  "port",
  "nodes",
  "disable",
  "content",
  "username",
  "password",
  "encryption-key",
  "master-pubkey",
  "prune-backups",
  "max-protected-backups",
  "fingerprint",
]);
const FIXED = new Set(["server", "datastore"]);
/** PBSPlugin::plugindata `sensitive-properties`: kept in /etc/pve/priv, never in storage.cfg or an answer. */
export const PBS_SENSITIVE = new Set(["password", "encryption-key", "master-pubkey"]);
/** PBSPlugin::plugindata content: `backup` (and `none`), default `backup`. */
const PBS_CONTENT = new Set(["backup", "none"]);

/** The arguments a storage create/update carries besides the storage options. */
const META = new Set(["storage", "type", "digest", "delete"]);

/**
 * What PBSPlugin::on_add_hook / on_update_hook do with `encryption-key`: `autogen` runs
 * `proxmox-backup-client key create --kdf none` (here: 32 random bytes in the same JSON shape);
 * anything else must be a JSON key with `data`. storage.cfg keeps `fingerprint || 1`; the
 * answer's `config.encryption-key` repeats the (possibly generated) key once.
 */
function encryptionKey(value: string): { fingerprint: string; returned: string } {
  if (value === "autogen") {
    const data = randomBytes(32);
    const fingerprint = keyFingerprint(data);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const key = { kdf: null, created: now, modified: now, data: data.toString("base64"), fingerprint };
    return { fingerprint, returned: JSON.stringify(key, null, 2) };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(value);
  } catch {
    decoded = undefined;
  }
  if (decoded === null || typeof decoded !== "object" || !("data" in decoded)) {
    throw new PveError(500, "Value does not seems like a valid, JSON formatted encryption key!");
  }
  const fp = (decoded as { fingerprint?: unknown }).fingerprint;
  return { fingerprint: typeof fp === "string" && fp !== "" ? fp : "1", returned: value };
}

/**
 * A key fingerprint in PBS's notation (32 bytes as colon-separated hex). PBS derives it from the
 * key by an HMAC over a fixed input; the simulator hashes the key data — the format is what
 * clients see, the derivation is not observable through the PVE API.
 */
function keyFingerprint(data: Buffer): string {
  return createHash("sha256").update("proxmox-cdk-sim-key-fingerprint").update(data).digest("hex").match(/../g)!.join(":");
}

function checkOptions(args: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(args)) {
    if (!META.has(key) && !PBS_OPTIONS.has(key)) throw parameterError({ [key]: "unexpected property" });
  }
  if (args.content !== undefined) {
    for (const c of splitList(args.content)) {
      if (!PBS_CONTENT.has(c)) throw parameterError({ content: `storage does not support content type '${c}'` });
    }
  }
}

function contentOf(value: string | undefined): string[] {
  const list = value === undefined ? ["backup"] : splitList(value).filter((c) => c !== "none");
  return list;
}

/** The result of a create or update: the new definition and PVE's `config` answer (the key, once). */
export interface PbsChange {
  readonly def: StorageDef;
  readonly config?: { readonly "encryption-key": string };
}

/** `POST /storage` with `type=pbs`: check_config + on_add_hook. */
export function createPbsStorage(storeid: string, args: Readonly<Record<string, string>>): PbsChange {
  checkOptions(args);
  for (const key of FIXED) if (args[key] === undefined) throw parameterError({ [key]: "property is missing" });
  const key = args["encryption-key"] !== undefined ? encryptionKey(args["encryption-key"]) : undefined;
  if (args["master-pubkey"] !== undefined && !key) throw new PveError(500, "'master-pubkey' can only be used together with 'encryption-key'");
  const pbs: PbsTarget = {
    server: args.server,
    datastore: args.datastore,
    ...optional(args, "username", "namespace", "port", "fingerprint"),
    ...(key ? { encryptionKey: key.fingerprint } : {}),
    passwordSet: args.password !== undefined,
    ...(args["master-pubkey"] !== undefined ? { masterPubkey: true } : {}),
    ...(args["prune-backups"] !== undefined ? { pruneBackups: args["prune-backups"] } : {}),
    ...(args["max-protected-backups"] !== undefined ? { maxProtectedBackups: args["max-protected-backups"] } : {}),
  };
  const def: StorageDef = {
    storage: storeid,
    type: "pbs",
    content: contentOf(args.content),
    shared: true,
    totalBytes: 2 * 1024 ** 4,
    ...(args.nodes ? { nodes: splitList(args.nodes) } : {}),
    ...(args.disable !== undefined ? { disable: args.disable === "1" } : {}),
    pbs,
  };
  return { def, ...(key ? { config: { "encryption-key": key.returned } } : {}) };
}

/** `PUT /storage/{storage}` of a pbs storage: check_config (no fixed option changes) + on_update_hook, then `delete`. */
export function updatePbsStorage(current: StorageDef, args: Readonly<Record<string, string>>): PbsChange {
  checkOptions(args);
  for (const key of FIXED) if (args[key] !== undefined) throw new PveError(500, `update storage failed: can't change value of fixed parameter '${key}'`);
  const deleted = splitList(args.delete ?? "");
  for (const key of deleted) {
    if (!PBS_OPTIONS.has(key)) throw new PveError(500, `update storage failed: no such option '${key}'`);
    if (FIXED.has(key)) throw new PveError(500, `update storage failed: unable to delete required option '${key}'`);
    if (args[key] !== undefined) throw new PveError(500, `update storage failed: cannot set and delete property '${key}' at the same time!`);
  }
  let pbs: PbsTarget = { ...current.pbs! };
  let def: StorageDef = { ...current };
  const key = args["encryption-key"] !== undefined ? encryptionKey(args["encryption-key"]) : undefined;
  if (key) pbs = { ...pbs, encryptionKey: key.fingerprint };
  if (args.password !== undefined) pbs = { ...pbs, passwordSet: true };
  if (args["master-pubkey"] !== undefined) pbs = { ...pbs, masterPubkey: true };
  pbs = { ...pbs, ...optional(args, "username", "namespace", "port", "fingerprint") };
  if (args["prune-backups"] !== undefined) pbs = { ...pbs, pruneBackups: args["prune-backups"] };
  if (args["max-protected-backups"] !== undefined) pbs = { ...pbs, maxProtectedBackups: args["max-protected-backups"] };
  if (args.content !== undefined) def = { ...def, content: contentOf(args.content) };
  if (args.nodes !== undefined) def = { ...def, nodes: splitList(args.nodes) };
  if (args.disable !== undefined) def = { ...def, disable: args.disable === "1" };
  const field: Record<string, keyof PbsTarget> = {
    username: "username",
    namespace: "namespace",
    port: "port",
    fingerprint: "fingerprint",
    "encryption-key": "encryptionKey",
    "master-pubkey": "masterPubkey",
    "prune-backups": "pruneBackups",
    "max-protected-backups": "maxProtectedBackups",
  };
  const mutable = pbs as { -readonly [K in keyof PbsTarget]: PbsTarget[K] };
  for (const key of deleted) {
    if (key === "password") mutable.passwordSet = false;
    else if (field[key]) delete mutable[field[key]];
    else if (key === "nodes") def = { ...def, nodes: undefined };
    else if (key === "disable") def = { ...def, disable: undefined };
    else if (key === "content") def = { ...def, content: ["backup"] };
  }
  return { def: { ...def, pbs: mutable }, ...(key ? { config: { "encryption-key": key.returned } } : {}) };
}

function optional(args: Readonly<Record<string, string>>, ...keys: ("username" | "namespace" | "port" | "fingerprint")[]): Partial<PbsTarget> {
  const out: { -readonly [K in "username" | "namespace" | "port" | "fingerprint"]?: string } = {};
  for (const k of keys) if (args[k] !== undefined) out[k] = args[k];
  return out;
}

/**
 * The storage.cfg fields of a pbs storage as `GET /storage[/{storage}]` answers them: never the
 * password or the key — `encryption-key` is the key's fingerprint (or 1), `master-pubkey` is 1.
 */
export function pbsConfigFields(pbs: PbsTarget): Record<string, unknown> {
  const out: Record<string, unknown> = { server: pbs.server, datastore: pbs.datastore };
  if (pbs.username !== undefined) out.username = pbs.username;
  if (pbs.namespace !== undefined) out.namespace = pbs.namespace;
  if (pbs.port !== undefined) out.port = Number(pbs.port);
  if (pbs.fingerprint !== undefined) out.fingerprint = pbs.fingerprint;
  if (pbs.encryptionKey !== undefined) out["encryption-key"] = pbs.encryptionKey;
  if (pbs.masterPubkey) out["master-pubkey"] = 1;
  if (pbs.pruneBackups !== undefined) out["prune-backups"] = pbs.pruneBackups;
  if (pbs.maxProtectedBackups !== undefined) out["max-protected-backups"] = Number(pbs.maxProtectedBackups);
  return out;
}
