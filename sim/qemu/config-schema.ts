import { ApiSchema, SchemaProperty } from "../api-schema";
import { findParameter } from "../param-validation";
import { parsePropertyString, PropertyFormat } from "../property-string";

/**
 * The VM configuration options as the PVE schema describes them (the parameters of
 * `POST /nodes/{node}/qemu`), and PVE's property-string printing and JSON typing of their values.
 */

let cachedProps: Readonly<Record<string, SchemaProperty>> | undefined;

function configProps(): Readonly<Record<string, SchemaProperty>> {
  cachedProps ??= ApiSchema.bundled().method("/nodes/{node}/qemu", "POST")?.parameters?.properties ?? {};
  return cachedProps;
}

/** Arguments of `POST /nodes/{node}/qemu` that steer the request instead of becoming configuration. */
export const CREATE_REQUEST_ONLY: ReadonlySet<string> = new Set([
  "node",
  "vmid",
  "archive",
  "storage",
  "force",
  "unique",
  "live-restore",
  "pool",
  "bwlimit",
  "start",
  "ha-managed",
  "import-working-storage",
]);

/** The schema of configuration option `key` (`net3` → `net[n]`), or undefined when PVE has no such option. */
export function optionSchema(key: string): SchemaProperty | undefined {
  if (CREATE_REQUEST_ONLY.has(key)) return undefined;
  return findParameter(configProps(), key);
}

/** PVE's `option_exists`. */
export function optionExists(key: string): boolean {
  return optionSchema(key) !== undefined;
}

/** Named property-string formats the schema references by name only (qemu-server's `pve-qm-ipconfig`). */
const NAMED_FORMATS: Readonly<Record<string, PropertyFormat>> = {
  "pve-qm-ipconfig": {
    ip: { type: "string", optional: 1 },
    gw: { type: "string", optional: 1 },
    ip6: { type: "string", optional: 1 },
    gw6: { type: "string", optional: 1 },
  },
};

/** The property-string format of an option (`scsi0`, `net0`, `efidisk0`, `agent`, `ipconfig0`, …). */
export function optionFormat(key: string): PropertyFormat {
  const format = optionSchema(key)?.format;
  const resolved = typeof format === "string" ? NAMED_FORMATS[format] : format;
  if (!resolved) throw new Error(`internal error: option '${key}' is not a property string`);
  return resolved;
}

/** PVE's `parse_boolean`. */
export function parseBoolean(value: string): 0 | 1 | undefined {
  if (/^(1|on|yes|true)$/i.test(value)) return 1;
  if (/^(0|off|no|false)$/i.test(value)) return 0;
  return undefined;
}

/** PVE's `parse_size` (bytes), undefined when malformed. */
export function parseSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT](?:iB)?)?$/.exec(value);
  if (!m) return undefined;
  const unit = { K: 1, M: 2, G: 3, T: 4 }[(m[2] ?? " ")[0]] ?? 0;
  return Math.trunc(Number(m[1]) * 1024 ** unit);
}

/** PVE's `format_size`: the largest exact unit (`8G`, `528K`, `4M`, bytes otherwise). */
export function formatSize(bytes: number): string {
  const size = Math.trunc(bytes);
  const units = ["", "K", "M", "G", "T"];
  let value = size;
  for (let i = 0; i < units.length - 1; i++) {
    if (value % 1024 !== 0 || value === 0) return `${value}${units[i]}`;
    value /= 1024;
  }
  return `${value}T`;
}

/**
 * Parses a property string as PVE's `parse_property_string`, normalising booleans to `1`/`0`.
 * Throws an Error carrying PVE's message on malformed input.
 */
export function parseProps(format: PropertyFormat, text: string): Record<string, string> {
  const res = parsePropertyString(format, text);
  for (const [k, v] of Object.entries(res)) {
    if (format[k]?.type === "boolean") {
      const b = parseBoolean(v);
      if (b === undefined) throw new Error(`${k}: type check ('boolean') failed - got '${v}'`);
      res[k] = String(b);
    }
  }
  return res;
}

/**
 * PVE's `print_property_string`: the default key's bare value first (combined with its key
 * alias, as in `virtio=BC:24:11:…`), then required keys, then the rest, each group sorted;
 * `disk-size` values formatted (`8G`).
 */
export function printProps(format: PropertyFormat, data: Readonly<Record<string, string | undefined>>, skip: readonly string[] = []): string {
  const defaultKey = Object.keys(format).find((k) => format[k].default_key);
  const keyAliasProps: Record<string, string> = {};
  for (const schema of Object.values(format)) {
    if (schema.alias && schema.keyAlias) keyAliasProps[schema.keyAlias] = schema.alias;
  }
  const done = new Set(skip);
  const parts: string[] = [];
  const fmt = (key: string, value: string): string => {
    if (format[key]?.format === "disk-size") return formatSize(Number(value));
    if (value.includes(",")) throw new Error(`illegal value with commas for ${key}`);
    return value;
  };
  const add = (key: string, isDefault: boolean): void => {
    if (done.has(key)) return;
    done.add(key);
    const value = data[key];
    if (value === undefined) return;
    const combine = keyAliasProps[key];
    if (combine && data[combine] !== undefined) {
      parts.push(`${fmt(key, value)}=${fmt(combine, data[combine])}`);
      done.add(combine);
      return;
    }
    parts.push(isDefault ? fmt(key, value) : `${key}=${fmt(key, value)}`);
  };
  if (defaultKey) add(defaultKey, true);
  const keys = Object.keys(data).sort();
  for (const k of keys) if (format[k] && !format[k].optional) add(k, false);
  for (const k of keys) add(k, false);
  return parts.join(",");
}

/**
 * A config value as PVE's JSON answers it: integers and booleans are numbers (the config parser
 * `int()`s them), everything else — including `number` options like `cpulimit` and the
 * property-string `memory` — stays the string written in the config file.
 */
export function jsonValue(key: string, value: string): string | number {
  const type = optionSchema(key)?.type;
  if (type === "integer" && /^-?\d+$/.test(value)) return Number(value);
  if (type === "boolean") return parseBoolean(value) ?? value;
  return value;
}
