import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { isMap, parse } from "yaml";
import { parseEnvironment, resolveDefaults } from "../envspec";
import { readYamlDocument, writeYamlDocument, yamlDocumentText } from "../io/yaml-document";
import type { LiveGuest, LiveSnapshot } from "../scan/live-snapshot";
import { managedBy, StateIndex } from "../scan/managed-guests";
import { pveTags, pveText } from "../scan/pve-properties";
import { EnvironmentStack } from "../stacks/environment-stack";
import { adoptableGuest } from "./adoptable-guest";

/** Which guests to adopt: exactly one of ids, a pool or a tag. */
export type GuestSelection = { readonly vmids: readonly number[] } | { readonly pool: string } | { readonly tag: string };

/** Options of {@link importGuests}. */
export interface ImportGuestsOptions {
  /** Project folder (holds `environments/`). */
  readonly root: string;
  /** Environment that adopts the guests (`environments/<env>.yaml`). */
  readonly env: string;
  readonly selection: GuestSelection;
  /** The cluster as scan reads it. */
  readonly snapshot: LiveSnapshot;
  /** Guest ids in the environments' Terraform states (managed-guests.ts). */
  readonly states: StateIndex;
}

/** A guest written into the spec. */
export interface AdoptedGuestReport {
  readonly name: string;
  readonly vmid: number;
  readonly type: "qemu" | "lxc";
  readonly node: string;
  readonly notes: readonly string[];
}

/** A selected guest left out, with why. */
export interface LeftOutGuest {
  readonly vmid: number;
  readonly name?: string;
  readonly reason: string;
}

/** What {@link importGuests} did. */
export interface ImportGuestsResult {
  /** The spec file, relative to the project (`environments/<env>.yaml`). */
  readonly file: string;
  readonly adopted: readonly AdoptedGuestReport[];
  readonly leftOut: readonly LeftOutGuest[];
}

/**
 * Adopts the selected guests into an environment's spec (`adopted:`), checked one by one before
 * anything is written: a guest that is managed already, adopted by any environment, on another
 * node, outside `vmIdRange`, or that would have to be replaced or lose a device is left out with the
 * reason. The edited spec is validated (file:line:col errors) and its stack built in memory before
 * the file is replaced, whole, with its comments kept. Nothing in PVE is changed.
 */
export function importGuests(opts: ImportGuestsOptions): ImportGuestsResult {
  const rel = path.join("environments", `${opts.env}.yaml`);
  const file = path.join(opts.root, rel);
  if (!fs.existsSync(file))
    throw new Error(`No environment "${opts.env}": ${rel} does not exist — create it first (proxmox-cdk draft, or copy environments/dev.yaml).`);
  const doc = readYamlDocument(rel, fs.readFileSync(file, "utf8"));
  const env = resolveDefaults(parseEnvironment(yamlDocumentText(doc), rel));
  const takenNames = new Set([...Object.values(env.tiers).flatMap((t) => t.vmNames), ...Object.keys(env.adopted ?? {})]);
  const adoptedIds = adoptedIdsOfProject(opts.root);

  const adopted: AdoptedGuestReport[] = [];
  const leftOut: LeftOutGuest[] = [];
  const { guests, missing } = selectGuests(opts.snapshot.guests, opts.selection);
  for (const vmid of missing) leftOut.push({ vmid, reason: "no VM or container with this id in the cluster" });
  // A block map even when the spec wrote `adopted: {}`: one guest per paragraph, readable in review.
  const section = doc.get("adopted", true);
  if (isMap(section)) section.flow = false;
  for (const g of guests) {
    const name = pveText(g.type === "qemu" ? g.config.name : g.config.hostname);
    const by = managedBy(g.vmid, pveTags(g.config.tags), opts.states);
    const result = adoptableGuest(g, { env, takenNames, adoptedIds, ...(by ? { managedBy: by } : {}), haResources: opts.snapshot.haResources });
    if ("reason" in result) {
      leftOut.push({ vmid: g.vmid, ...(name ? { name } : {}), reason: result.reason });
      continue;
    }
    doc.setIn(["adopted", result.name], doc.createNode(result.entry));
    takenNames.add(result.name);
    adopted.push({ name: result.name, vmid: g.vmid, type: g.type, node: g.node, notes: result.notes });
  }
  if (adopted.length > 0) {
    // The edited spec must load and build before it replaces the file.
    const edited = resolveDefaults(parseEnvironment(yamlDocumentText(doc), rel));
    buildInMemory(edited);
    writeYamlDocument(file, doc);
  }
  return { file: rel, adopted, leftOut };
}

/** The selected guests in id order, and the ids asked for that the cluster does not have. */
export function selectGuests(all: readonly LiveGuest[], selection: GuestSelection): { guests: LiveGuest[]; missing: number[] } {
  if ("vmids" in selection) {
    const byId = new Map(all.map((g) => [g.vmid, g]));
    const ids = [...new Set(selection.vmids)].sort((a, b) => a - b);
    return { guests: ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])), missing: ids.filter((id) => !byId.has(id)) };
  }
  const pick = "pool" in selection ? (g: LiveGuest) => g.pool === selection.pool : (g: LiveGuest) => pveTags(g.config.tags).includes(selection.tag);
  return { guests: all.filter(pick), missing: [] };
}

/** Guest ids adopted by every spec of the project, with where (`environments/x.yaml adopted.web-1`). */
function adoptedIdsOfProject(root: string): Map<number, string> {
  const dir = path.join(root, "environments");
  const ids = new Map<number, string>();
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    if (!f.endsWith(".yaml")) continue;
    let spec: unknown;
    try {
      spec = parse(fs.readFileSync(path.join(dir, f), "utf8"));
    } catch (e) {
      throw new Error(`environments/${f} is not valid YAML (${(e as Error).message.split("\n")[0]}): fix it first, so a guest it adopts is not adopted twice.`);
    }
    const adopted = (spec as { adopted?: unknown } | null)?.adopted;
    if (typeof adopted !== "object" || adopted === null) continue;
    for (const [name, g] of Object.entries(adopted)) {
      const vmid = (g as { vmid?: unknown } | null)?.vmid;
      if (typeof vmid === "number") ids.set(vmid, `environments/${f} adopted.${name}`);
    }
  }
  return ids;
}

/** Builds the environment's stack without writing anything: construct checks (ids, names, sizes) throw here. */
function buildInMemory(env: ReturnType<typeof resolveDefaults>): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "proxmox-cdk-import-"));
  try {
    new EnvironmentStack(new App({ outdir, skipValidation: true }), env.name, { env, policy: false });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
