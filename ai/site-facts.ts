import * as fs from "fs";
import * as path from "path";
import { EnvironmentSpec, loadEnvironment, SpecIssue } from "../envspec";

/**
 * What belongs to the operator's site rather than to a request: nodes, images, who may log in,
 * the network in use, the backup storage. The model is shown these and told to copy them; the
 * security-relevant ones (SSH keys, login user, image URLs and checksums) are then forced to the
 * site's values whatever the model wrote, so no request can smuggle in a key or an image.
 */
export interface SiteFacts {
  /** Where the facts came from, e.g. `environments/dev.yaml`. */
  readonly source: string;
  /** Proxmox VE nodes of the cluster. */
  readonly nodes: readonly string[];
  /** Cloud images by name, exactly as in the source spec. */
  readonly templates: EnvironmentSpec["templates"];
  /** The cloud-init login user and SSH keys. */
  readonly cloudInit: EnvironmentSpec["cloudInit"];
  /** The network the source environment uses (a suggestion for the model, not forced). */
  readonly network: EnvironmentSpec["network"];
  /** Backup storage of the source environment, if it has one. @default none */
  readonly backupStorage?: string;
  /**
   * The PBS storage the source environment defines for {@link backupStorage} (`backups.pbs`),
   * forced into every draft that backs up to that storage: prod's policy cannot judge a backup
   * storage the spec does not define, and no request may point backups at another server.
   * @default none
   */
  readonly backupTarget?: NonNullable<NonNullable<EnvironmentSpec["backups"]>["pbs"]>;
}

/** Options of {@link loadSiteFacts}. */
export interface SiteFactsOptions {
  /** Environment to take the facts from (`environments/<from>.yaml`). @default "dev", else the first spec in environments/ */
  readonly from?: string;
  /** An OpenSSH public key file (`~/.ssh/id_ed25519.pub`) whose keys replace the source's. @default the source's keys */
  readonly sshKeyFile?: string;
  /** Login user replacing the source's. @default the source's user */
  readonly user?: string;
}

/** The site facts of a spec. */
export function siteFactsOf(spec: EnvironmentSpec, source: string): SiteFacts {
  const storage = spec.backups?.enabled !== false ? spec.backups?.storage : undefined;
  const target = storage ? spec.backups?.pbs : undefined;
  return {
    source,
    nodes: spec.nodes,
    templates: spec.templates,
    cloudInit: spec.cloudInit,
    network: spec.network,
    ...(storage ? { backupStorage: storage } : {}),
    ...(target ? { backupTarget: target } : {}),
  };
}

/**
 * Reads the site facts from an existing environment of the project (validated like any spec),
 * with `--ssh-key` / `--user` overrides.
 */
export function loadSiteFacts(root: string, opts: SiteFactsOptions = {}): SiteFacts {
  const dir = path.join(root, "environments");
  const available = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  const from = opts.from ?? (available.includes("dev.yaml") ? "dev" : available[0]?.replace(/\.ya?ml$/, ""));
  if (!from) {
    throw new Error(
      `No environment to take the site facts (nodes, images, SSH keys) from: ${dir} has no *.yaml. ` +
        "Write one by hand first (see docs/environment-spec.md), then draft others with --from <it>.",
    );
  }
  const file = path.join(dir, `${from}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`--from ${from}: ${path.relative(root, file)} does not exist; existing: ${available.join(", ") || "none"}.`);
  const facts = siteFactsOf(loadEnvironment(file), path.relative(root, file));
  const backups = facts.backupStorage ? facts : otherBackupStorage(dir, available, `${from}.yaml`);
  const sshKeys = opts.sshKeyFile ? readPublicKeys(opts.sshKeyFile) : facts.cloudInit.sshKeys;
  return {
    ...facts,
    ...(backups?.backupStorage ? { backupStorage: backups.backupStorage } : {}),
    ...(backups?.backupTarget ? { backupTarget: backups.backupTarget } : {}),
    cloudInit: { user: opts.user ?? facts.cloudInit.user, sshKeys },
  };
}

/** A dev spec often has no backup job; the site's storage (and the PBS target defining it) then comes from another environment. */
function otherBackupStorage(dir: string, files: readonly string[], skip: string): Pick<SiteFacts, "backupStorage" | "backupTarget"> | undefined {
  for (const f of files.filter((x) => x !== skip)) {
    try {
      const facts = siteFactsOf(loadEnvironment(path.join(dir, f)), f);
      if (facts.backupStorage) return facts;
    } catch {
      // A broken spec elsewhere is not this draft's problem; it just offers no storage.
    }
  }
  return undefined;
}

function readPublicKeys(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`--ssh-key ${file}: ${(e as Error).message}; pass an OpenSSH public key file such as ~/.ssh/id_ed25519.pub.`);
  }
  if (/PRIVATE KEY/.test(text)) {
    throw new Error(`--ssh-key ${file} is a private key: pass the .pub file, and rotate the key if the private one was shared.`);
  }
  const keys = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  if (keys.length === 0) throw new Error(`--ssh-key ${file} holds no public key line.`);
  return keys;
}

/** The facts as the model sees them (no `source`: a path is no business of the model). */
export function factsForPrompt(facts: SiteFacts): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...facts };
  delete shown.source;
  return shown;
}

/** What {@link pinSiteFacts} changed. */
export interface PinnedCandidate {
  readonly data: unknown;
  /** One line per field the model got wrong and the site's value replaced. */
  readonly replaced: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Forces the site's login user, SSH keys, image definitions and — for a draft backing up to the
 * site's backup storage — the PBS target defining that storage into a model's candidate. Keys
 * the model added beside them (say `cloudInit.runcmd`) are kept so that validation rejects them
 * and the model hears about it; templates the site does not have are left for
 * {@link siteFactProblems} to report.
 */
export function pinSiteFacts(data: unknown, facts: SiteFacts, name?: string): PinnedCandidate {
  if (!isRecord(data)) return { data, replaced: [] };
  const replaced: string[] = [];
  const out: Record<string, unknown> = { ...data };
  if (name !== undefined) out.name = name;
  const ci = isRecord(data.cloudInit) ? data.cloudInit : {};
  if (JSON.stringify(ci.sshKeys) !== JSON.stringify(facts.cloudInit.sshKeys))
    replaced.push(`cloudInit.sshKeys: the site's keys from ${facts.source} are used, not the model's`);
  if (ci.user !== facts.cloudInit.user) replaced.push(`cloudInit.user: "${facts.cloudInit.user}" from ${facts.source} is used, not the model's`);
  out.cloudInit = { ...ci, user: facts.cloudInit.user, sshKeys: [...facts.cloudInit.sshKeys] };
  if (isRecord(data.templates)) {
    const templates: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data.templates)) {
      const site = facts.templates[key];
      if (site && JSON.stringify(value) !== JSON.stringify(site)) replaced.push(`templates.${key}: the site's image definition is used, not the model's`);
      templates[key] = site ? { ...(isRecord(value) ? value : {}), ...site } : value;
    }
    out.templates = templates;
  } else {
    out.templates = { ...facts.templates };
  }
  if (facts.backupTarget && isRecord(data.backups) && data.backups.storage === facts.backupStorage) {
    if (data.backups.pbs !== undefined && JSON.stringify(data.backups.pbs) !== JSON.stringify(facts.backupTarget))
      replaced.push(`backups.pbs: the site's backup target from ${facts.source} is used, not the model's`);
    out.backups = { ...data.backups, pbs: { ...facts.backupTarget } };
  }
  return { data: out, replaced };
}

/** Problems of a structurally valid candidate against the site: unknown nodes and templates. */
export function siteFactProblems(spec: EnvironmentSpec, facts: SiteFacts): SpecIssue[] {
  const issues: SpecIssue[] = [];
  spec.nodes.forEach((node, i) => {
    if (!facts.nodes.includes(node))
      issues.push({ path: ["nodes", i], at: "value", message: `unknown node "${node}"; the site's nodes are: ${facts.nodes.join(", ")}` });
  });
  for (const name of Object.keys(spec.templates)) {
    if (!(name in facts.templates)) {
      issues.push({
        path: ["templates", name],
        at: "key",
        message: `not a site template; use one of: ${Object.keys(facts.templates).join(", ")} (copy it from siteFacts.templates)`,
      });
    }
  }
  return issues;
}
