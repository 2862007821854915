import * as fs from "fs";
import * as path from "path";
import { Document, isSeq, parseDocument } from "yaml";
import { formatPath, SpecPath, validateEnvironment } from "../envspec";
import { writeYamlDocument } from "../io/yaml-document";
import { sshKeyFingerprint } from "../constructs/ssh-key-fingerprint";

/**
 * The console's form to create an environment or add a tier to one. The form only builds YAML: the
 * environment schema ({@link validateEnvironment}) judges it, and each problem is shown next to the
 * field its spec path belongs to. Nothing is written unless the whole spec is valid; an existing
 * file is edited through the `yaml` Document API, so its comments and layout stay.
 */

/** The form as posted: field name to text. */
export type FormValues = Readonly<Record<string, string>>;

/** Problems by field name; `_` holds those that belong to no field. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

/** Outcome of {@link saveSpecForm}. */
export type FormOutcome = { readonly ok: true; readonly env: string; readonly file: string } | { readonly ok: false; readonly errors: FieldErrors };

/** Fields of the tier part (both forms); the image fields define the template when its name is new. */
export const TIER_FIELDS = [
  "tier",
  "os",
  "template",
  "templateUrl",
  "templateChecksum",
  "templateAlgorithm",
  "count",
  "cores",
  "memoryMiB",
  "diskGiB",
  "ipv4Mode",
  "ipv4Pool",
  "sshKeys",
  "tags",
  "exposePort",
  "exposeFrom",
] as const;

/** Fields only a new environment has. */
export const ENVIRONMENT_FIELDS = ["name", "stage", "nodes", "bridge", "vlan", "subnet", "gateway", "user"] as const;

/** An environment name as the CLI accepts it (`envArgument`). */
export const ENV_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

const text = (v: FormValues, name: string) => (v[name] ?? "").trim();
const list = (value: string) => value.split(/[\s,]+/).filter((x) => x !== "");
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
/** A whole number as a number; anything else as typed, for the schema to word the problem. */
const number = (value: string): number | string => (/^[0-9]{1,12}$/.test(value) ? Number(value) : value);

const isWindows = (v: FormValues) => text(v, "os") === "windows";

function tierOf(v: FormValues): Record<string, unknown> {
  const tier: Record<string, unknown> = { template: text(v, "template") };
  // The Windows preset: WindowsVm guests from an installer ISO (windowsInstallers), Windows sizes
  // for the fields left empty, RDP for the post-deploy check.
  if (isWindows(v)) tier.os = "windows";
  else if (text(v, "os") !== "" && text(v, "os") !== "linux") tier.os = text(v, "os");
  for (const f of ["count", "cores", "memoryMiB", "diskGiB"]) if (text(v, f) !== "") tier[f] = number(text(v, f));
  if (text(v, "tags") !== "") tier.tags = list(text(v, "tags"));
  tier.ipv4 = text(v, "ipv4Mode") === "pool" ? text(v, "ipv4Pool") : "dhcp";
  return tier;
}

function exposureOf(v: FormValues): Record<string, unknown> | undefined {
  if (text(v, "exposePort") === "" && text(v, "exposeFrom") === "") return undefined;
  return { tier: text(v, "tier"), port: text(v, "exposePort"), from: text(v, "exposeFrom") };
}

/** Appends `value` to the sequence at `at`, creating it when absent. */
function append(doc: Document, at: readonly string[], value: unknown): number {
  const existing = doc.getIn(at, true);
  if (isSeq(existing)) {
    existing.add(doc.createNode(value));
    return existing.items.length - 1;
  }
  doc.setIn(at, doc.createNode([value]));
  return 0;
}

/** Where a template of the tier's OS lives in the spec: cloud images, or Windows installer ISOs. */
const imagesKey = (v: FormValues) => (isWindows(v) ? "windowsInstallers" : "templates");

/** The image the form's URL, checksum and algorithm describe. */
const imageOf = (v: FormValues) => ({ url: text(v, "templateUrl"), checksum: text(v, "templateChecksum"), checksumAlgorithm: text(v, "templateAlgorithm") });

/** The field a problem at `p` belongs to. */
function fieldOf(p: SpecPath, tier: string, template: string, exposeIndex: number | undefined): string {
  const [a, b, c, d] = p;
  if (a === "tiers" && b === tier) {
    if (c === undefined) return "tier";
    if (c === "ipv4") return "ipv4Pool";
    return (TIER_FIELDS as readonly unknown[]).includes(c) ? String(c) : "_";
  }
  if ((a === "templates" || a === "windowsInstallers") && b === template)
    return c === "url" ? "templateUrl" : c === "checksum" ? "templateChecksum" : c === "checksumAlgorithm" ? "templateAlgorithm" : "template";
  if (a === "cloudInit") return b === "sshKeys" ? "sshKeys" : "user";
  if (a === "firewall" && b === "expose" && c === exposeIndex) return d === "from" ? "exposeFrom" : d === "tier" ? "tier" : "exposePort";
  if (a === "network") return c === "vlan" ? "vlan" : c === "subnet" ? "subnet" : c === "gateway" ? "gateway" : "bridge";
  if (a === "name" || a === "stage" || a === "nodes") return a;
  return "_";
}

const PRIVATE_KEY = "this is a PRIVATE key: put the public key (the .pub file) here, and replace this key pair, it is no longer secret";

/** The keys of the SSH keys field; a private key is refused whole, so no part of it reaches a message. */
function sshKeyLines(v: FormValues, errors: Record<string, string[]>): string[] {
  if (/PRIVATE KEY/i.test(text(v, "sshKeys"))) {
    addError(errors, "sshKeys", PRIVATE_KEY);
    return [];
  }
  return lines(text(v, "sshKeys"));
}

function addError(errors: Record<string, string[]>, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** Validates the edited document and writes it atomically when valid. */
function validateAndWrite(
  doc: Document,
  file: string,
  env: string,
  v: FormValues,
  exposeIndex: number | undefined,
  errors: Record<string, string[]>,
): FormOutcome {
  const result = validateEnvironment(doc.toJS());
  if (!result.success) {
    for (const issue of result.issues) {
      const field = fieldOf(issue.path, text(v, "tier"), text(v, "template"), exposeIndex);
      addError(errors, field, field === "_" ? `${formatPath(issue.path)}: ${issue.message}` : issue.message);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  writeYamlDocument(file, doc);
  return { ok: true, env, file };
}

/** Adds a tier (and its exposure, SSH keys) to `environments/<env>.yaml`, keeping the file's comments. */
export function addTier(root: string, env: string, v: FormValues): FormOutcome {
  const file = path.join(root, "environments", `${env}.yaml`);
  const errors: Record<string, string[]> = {};
  if (!ENV_NAME.test(env) || !fs.existsSync(file)) return { ok: false, errors: { _: [`There is no environment "${env}".`] } };
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  if (doc.errors.length > 0) return { ok: false, errors: { _: [`environments/${env}.yaml is not valid YAML: ${doc.errors[0].message}`] } };
  const tier = text(v, "tier");
  if (tier !== "" && doc.hasIn(["tiers", tier])) addError(errors, "tier", `tier "${tier}" already exists in environments/${env}.yaml; choose another name`);
  if (tier === "") addError(errors, "tier", "a tier needs a name (lowercase letters, digits, -), e.g. web");
  doc.setIn(["tiers", tier], doc.createNode(tierOf(v)));
  // A new template: the image fields define it, under the key of the tier's OS.
  const template = text(v, "template");
  if (text(v, "templateUrl") !== "") {
    if (doc.hasIn([imagesKey(v), template]))
      addError(errors, "templateUrl", `${imagesKey(v)}.${template} already exists in environments/${env}.yaml; leave the image fields empty to use it`);
    else doc.setIn([imagesKey(v), template], doc.createNode(imageOf(v)));
  }
  const keys = sshKeyLines(v, errors);
  if (isWindows(v) && keys.length > 0)
    addError(errors, "sshKeys", "Windows guests get no SSH keys (no cloud-init): leave this empty and set up access in Windows");
  // A key already listed (as a line or as { key, added }, by fingerprint) is not added again.
  const listed = ((doc.getIn(["cloudInit", "sshKeys"]) as { toJSON?: () => unknown } | undefined)?.toJSON?.() as unknown[] | undefined) ?? [];
  const lineOf = (e: unknown): string =>
    typeof e === "string" ? e : typeof (e as { key?: unknown } | null)?.key === "string" ? (e as { key: string }).key : "";
  const known = new Set(listed.map(lineOf).map(sshKeyFingerprint));
  for (const key of keys) if (!known.has(sshKeyFingerprint(key))) append(doc, ["cloudInit", "sshKeys"], key);
  const exposure = exposureOf(v);
  const exposeIndex = exposure ? append(doc, ["firewall", "expose"], exposure) : undefined;
  return validateAndWrite(doc, file, env, v, exposeIndex, errors);
}

/** Writes a new `environments/<name>.yaml` with one tier; refuses to overwrite an existing file. */
export function createEnvironment(root: string, v: FormValues): FormOutcome {
  const env = text(v, "name");
  const errors: Record<string, string[]> = {};
  if (!ENV_NAME.test(env)) addError(errors, "name", `must be lowercase letters, digits and -, at most 31 characters, got "${env}"`);
  const file = path.join(root, "environments", `${ENV_NAME.test(env) ? env : "invalid"}.yaml`);
  if (ENV_NAME.test(env) && fs.existsSync(file)) addError(errors, "name", `environments/${env}.yaml already exists; add a tier to it instead`);
  const template = text(v, "template");
  const network: Record<string, unknown> = { name: text(v, "bridge") };
  if (text(v, "vlan") !== "") network.vlan = number(text(v, "vlan"));
  if (text(v, "subnet") !== "") network.subnet = text(v, "subnet");
  if (text(v, "gateway") !== "") network.gateway = text(v, "gateway");
  const spec: Record<string, unknown> = {
    name: env,
    stage: text(v, "stage"),
    nodes: list(text(v, "nodes")),
    network: { bridge: network },
    // A Windows tier's template is an installer ISO; the environment then has no cloud image yet.
    templates: isWindows(v) ? {} : { [template]: imageOf(v) },
    ...(isWindows(v) ? { windowsInstallers: { [template]: imageOf(v) } } : {}),
    tiers: { [text(v, "tier")]: tierOf(v) },
    cloudInit: { user: text(v, "user"), sshKeys: sshKeyLines(v, errors) },
  };
  const exposure = exposureOf(v);
  if (exposure) spec.firewall = { expose: [exposure] };
  const doc = new Document(spec);
  doc.commentBefore = ` Written by the proxmox-cdk console. Schema and every field: docs/environment-spec.md.`;
  return validateAndWrite(doc, file, env, v, exposure ? 0 : undefined, errors);
}

/**
 * The posted values to show again in a refused form: a field holding a private key (pasted by
 * mistake for the public one) is emptied, so the console never renders a secret.
 */
export function redisplayable(v: FormValues): FormValues {
  return Object.fromEntries(Object.entries(v).map(([k, value]) => [k, /PRIVATE KEY/i.test(value) ? "" : value]));
}
