import { objectDigest } from "../firewall/digest";
import { parsePveBoolean } from "../schema-check";
import type { SimState } from "../sim-state";
import { dict, prototypeFree } from "../dict";

/** One section of an SDN config file: option values as written there (strings). */
export type Section = Record<string, string>;

/** The SDN object kinds. */
export type SdnKind = "zones" | "vnets" | "subnets";
/** The key PVE's API answers each kind's id under. */
export const ID_KEY: Record<SdnKind, string> = { zones: "zone", vnets: "vnet", subnets: "subnet" };

/** The config files (`sdn/zones.cfg`, …) and what the last apply copied to `.running-config`. */
export interface SdnConfig {
  zones: Record<string, Section>;
  vnets: Record<string, Section>;
  subnets: Record<string, Section>;
}

/** The `sdn` slice: the edited config and the running (applied) one. */
export interface SdnSlice extends SdnConfig {
  running: SdnConfig & { version: number };
}

/** The SDN slice, created with an empty config and nothing applied. */
export function sdnSlice(state: SimState): SdnSlice {
  return state.slice<SdnSlice>("sdn", () => ({
    zones: {},
    vnets: {},
    subnets: {},
    running: { zones: {}, vnets: {}, subnets: {}, version: 0 },
  }));
}

/** IPAMs of a fresh install (sdn/ipams.cfg has `pve`); there are no DNS plugins. */
export const IPAMS: readonly string[] = ["pve"];

/** `PUT /cluster/sdn`: the config becomes the running config (PVE::Network::SDN::commit_config). */
export function commitConfig(state: SimState): void {
  const slice = sdnSlice(state);
  const copy = <T>(value: T): T => prototypeFree(JSON.parse(JSON.stringify(value)) as T);
  slice.running = {
    zones: copy(slice.zones),
    vnets: copy(slice.vnets),
    subnets: copy(slice.subnets),
    version: slice.running.version + 1,
  };
}

const INTEGERS = new Set(["mtu", "tag", "vrf-vxlan", "vxlan-port", "dp-id"]);
const BOOLEANS = new Set([
  "vlanaware",
  "isolate-ports",
  "snat",
  "advertise-subnets",
  "disable-arp-nd-suppression",
  "exitnodes-local-routing",
  "bridge-disable-mac-learning",
]);

/** A section's values as PVE's JSON carries them: integers and booleans (0/1) as numbers. */
export function typedSection(section: Readonly<Section>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(section)) {
    if (value === "deleted") out[key] = value;
    else if (INTEGERS.has(key)) out[key] = Number(value);
    else if (BOOLEANS.has(key)) out[key] = parsePveBoolean(value) ? 1 : 0;
    else out[key] = value;
  }
  return out;
}

/** The digest of a whole config file, as SectionConfig reports it. */
export function configDigest(sections: Readonly<Record<string, Section>>): string {
  return objectDigest(Object.fromEntries(Object.entries(sections).map(([id, s]) => [id, JSON.stringify(s)])));
}

/** A pending-view entry: running values on top, edited ones under `pending`, plus `state`. */
export interface PendingEntry {
  values: Section;
  pending?: Section;
  state?: "new" | "changed" | "deleted";
}

/**
 * PVE::Network::SDN::pending_config: compares the running objects of one kind with the edited
 * ones. An object only in the config is `new` with its values under `pending` (only `type` and
 * `vnet` stay on top); a changed one keeps the running values on top; a removed one is `deleted`.
 */
export function pendingConfig(running: Readonly<Record<string, Section>>, config: Readonly<Record<string, Section>>): Record<string, PendingEntry> {
  const out: Record<string, PendingEntry> = dict();
  const entry = (id: string): PendingEntry => (out[id] ??= { values: {} });
  for (const id of Object.keys(running).sort()) {
    const run = running[id];
    const conf = config[id];
    const e = entry(id);
    for (const key of Object.keys(run).sort()) {
      e.values[key] = run[key];
      if (!conf || !Object.keys(conf).length) e.state = "deleted";
      else if (conf[key] === undefined) {
        (e.pending ??= {})[key] = "deleted";
        e.state = "changed";
      } else if (conf[key] !== run[key]) e.state = "changed";
    }
    if (e.state && !e.pending) e.pending = {};
  }
  for (const id of Object.keys(config).sort()) {
    const run = running[id];
    const conf = config[id];
    const e = entry(id);
    for (const key of Object.keys(conf).sort()) {
      const runValue = run?.[key];
      if (key === "type" || key === "vnet") e.values[key] = conf[key];
      else if (runValue === undefined || runValue !== conf[key]) (e.pending ??= {})[key] = conf[key];
      if (!run || !Object.keys(run).length) e.state = "new";
      else if (runValue === undefined) e.state = "changed";
    }
    if (e.state && !e.pending) e.pending = {};
  }
  return out;
}

/** The objects of one kind as GET answers them: edited config, running config, or pending view. */
export function sdnView(state: SimState, kind: SdnKind, args: Readonly<Record<string, string>>): Record<string, Record<string, unknown>> {
  const slice = sdnSlice(state);
  const idKey = ID_KEY[kind];
  const out: Record<string, Record<string, unknown>> = dict();
  if (parsePveBoolean(args.pending)) {
    for (const [id, e] of Object.entries(pendingConfig(slice.running[kind], slice[kind]))) {
      const view: Record<string, unknown> = { ...typedSection(e.values), [idKey]: id };
      if (e.pending) view.pending = typedSection(e.pending);
      if (e.state) view.state = e.state;
      out[id] = view;
    }
    return out;
  }
  const source = parsePveBoolean(args.running) ? slice.running[kind] : slice[kind];
  const digest = configDigest(source);
  for (const [id, section] of Object.entries(source)) out[id] = { ...typedSection(section), [idKey]: id, digest };
  return out;
}
