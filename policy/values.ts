import type { IConstruct } from "constructs";
import { UnevaluableError } from "./unevaluable";
import { templateSequences } from "../constructs/literal-text";

/**
 * Readers for resolved Terraform configuration values: the one place where the policy meets a
 * value it cannot know at synth. A value that only exists at apply time (an interpolation such as
 * `${var.enabled}` or `${proxmox_virtual_environment_vm.web.ipv4_addresses}`) is *unknown*: a
 * reader asked to judge one throws {@link UnevaluableError}, which the pack turns into a
 * "could not evaluate …" finding. No rule can therefore take an unknown value for a good one.
 *
 * Readers take the container and the key (`bool(options.config, "enabled")`) so that the error
 * can name the attribute path (`rule[2].source`) and its owner. {@link raw} reads a value without
 * judging it, for messages and for references the context resolves itself (`vm_id`).
 */

/** The Terraform element a configuration belongs to. */
export interface ConfigOwner {
  readonly construct: IConstruct;
  /** Terraform address (`proxmox_virtual_environment_vm.web_vm_1A2B3C4D`), `var.<name>` or `output.<name>`. */
  readonly label: string;
  /** Resource type, or `variable` / `output`. */
  readonly type: string;
  /** Why the configuration could not be resolved at all, when it could not. */
  readonly unresolved?: string;
}

interface Origin {
  readonly owner: ConfigOwner;
  /** Attribute path inside the owner's configuration, e.g. `rule[2]`; empty for the root. */
  readonly path: string;
}

const origins = new WeakMap<object, Origin>();

/** Records that `config` is the root configuration of `owner`, so readers can name what they cannot evaluate. */
export function trackConfig(config: object, owner: ConfigOwner): void {
  origins.set(config, { owner, path: "" });
}

/** Owner and path of a tracked configuration object. */
export function originOf(container: object): Origin | undefined {
  return origins.get(container);
}

function track<T extends object>(child: T, parent: object, key: string): T {
  const origin = origins.get(parent);
  if (origin && !origins.has(child)) origins.set(child, { owner: origin.owner, path: joinPath(origin.path, key) });
  return child;
}

function joinPath(path: string, key: string): string {
  return path === "" || key.startsWith("[") ? `${path}${key}` : `${path}.${key}`;
}

/** Throws the error for attribute `key` of `container`, for `reason` (e.g. "the IP set is defined outside this stack"). */
export function unevaluable(container: object | undefined, key: string, reason: string): never {
  const origin = container ? origins.get(container) : undefined;
  throw new UnevaluableError(origin?.owner, origin ? joinPath(origin.path, key) : key, reason);
}

/**
 * True for a value Terraform computes at apply time (it contains an interpolation). Escaped
 * literal text (`$${`, `%%{`, written by literalText) is known: Terraform hands it over as is.
 */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && templateSequences(value).length > 0;
}

/** A value that is written in the configuration (not null, not absent), known or not. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** The value as written, unknown or not; never throws. For messages and for references. */
export function raw(container: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  return container?.[key];
}

/**
 * The value of `key`, known at synth. Throws {@link UnevaluableError} when it is an interpolation
 * (or a list holding one), or when the owner's configuration could not be resolved.
 */
export function value(container: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  if (container === undefined) return undefined;
  const origin = origins.get(container);
  if (origin?.owner.unresolved !== undefined) unevaluable(container, key, `its configuration could not be resolved (${origin.owner.unresolved})`);
  const v = container[key];
  const unknown = isUnknown(v) ? v : Array.isArray(v) ? (v as unknown[]).find(isUnknown) : undefined;
  if (unknown !== undefined) unevaluable(container, key, `it is ${JSON.stringify(unknown)}, known only at apply`);
  return v;
}

/** A known boolean; Terraform JSON also accepts "true"/"false" strings. Undefined when absent. */
export function bool(container: Readonly<Record<string, unknown>> | undefined, key: string): boolean | undefined {
  return asBool(value(container, key));
}

/** A known string (numbers as text). Undefined when absent. */
export function str(container: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const v = value(container, key);
  if (typeof v === "number") return String(v);
  return typeof v === "string" ? v : undefined;
}

/** A known number (numeric strings accepted). Undefined when absent. */
export function num(container: Readonly<Record<string, unknown>> | undefined, key: string): number | undefined {
  return asNum(value(container, key));
}

/** A list of known strings, or undefined when absent or not a list. */
export function strList(container: Readonly<Record<string, unknown>> | undefined, key: string): string[] | undefined {
  const v = value(container, key);
  if (!Array.isArray(v)) return undefined;
  return v.filter((e) => e !== null && e !== undefined).map(String);
}

/**
 * A single nested block: cdktf writes `agent = {...}`, hand-written JSON often `agent = [{...}]`;
 * both mean the same to Terraform. Throws when the block is an interpolation (a dynamic block).
 */
export function block(container: Readonly<Record<string, unknown>> | undefined, key: string): Record<string, unknown> | undefined {
  const v = value(container, key);
  const found = Array.isArray(v) ? obj(v[0]) : obj(v);
  return found && container ? track(found, container, Array.isArray(v) ? `${key}[0]` : key) : found;
}

/** A repeated nested block or list of objects (a single object counts as a list of one). */
export function blocks(container: Readonly<Record<string, unknown>> | undefined, key: string): Record<string, unknown>[] {
  const v = value(container, key);
  if (Array.isArray(v)) {
    return v.flatMap((e, i) => {
      const o = obj(e);
      return o ? [container ? track(o, container, `${key}[${i}]`) : o] : [];
    });
  }
  const single = obj(v);
  return single ? [container ? track(single, container, key) : single] : [];
}

/** A plain object (not an array), or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A boolean from a known value; Terraform JSON also accepts "true"/"false" strings and 1/0. */
export function asBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  if (v === 1 || v === 0) return v === 1;
  return undefined;
}

/** A number from a known value (numeric strings accepted). */
export function asNum(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** Seconds in a Go duration such as `90s`, `3m`, `1h30m`; undefined when not one. */
export function goDurationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}
