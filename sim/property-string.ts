import type { SchemaProperty } from "./api-schema";

/** A property-string format: the keys a value like `virtio,bridge=vmbr0,firewall=1` may have. */
export type PropertyFormat = Readonly<Record<string, SchemaProperty>>;

/**
 * Parses a PVE property string (`key=value,...`, with an optional key-less value for the format's
 * `default_key`) as pve-common's `parse_property_string` does, resolving `alias` keys and
 * recording `keyAlias` (e.g. `virtio=AA:BB:…` sets `macaddr` and `model=virtio`).
 * Throws an Error with PVE's message on malformed input.
 */
export function parsePropertyString(format: PropertyFormat, data: string): Record<string, string> {
  const res: Record<string, string> = {};
  let defaultKey: string | undefined;
  for (const part of data.split(",")) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=(.+)$/s.exec(part);
    if (kv) {
      let key = kv[1];
      if (res[key] !== undefined) throw new Error(`duplicate key in comma-separated list property: ${key}`);
      let schema = format[key];
      if (schema?.alias) {
        if (schema.keyAlias) {
          if (res[schema.keyAlias] !== undefined) throw new Error(`key alias '${schema.keyAlias}' is already defined`);
          res[schema.keyAlias] = key;
        }
        key = schema.alias;
        schema = format[key];
      }
      if (!schema) throw new Error(`invalid key in comma-separated list property: ${key}`);
      res[key] = kv[2];
    } else if (!part.includes("=")) {
      if (defaultKey) throw new Error(`duplicate key in comma-separated list property: ${defaultKey}`);
      defaultKey = Object.keys(format).find((k) => format[k].default_key);
      if (!defaultKey) throw new Error("value without key, but schema does not define a default key");
      if (res[defaultKey] !== undefined) throw new Error(`duplicate key in comma-separated list property: ${defaultKey}`);
      res[defaultKey] = part;
    } else {
      throw new Error(`missing value for key in comma-separated list property: ${part}`);
    }
  }
  return res;
}
