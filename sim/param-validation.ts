import { has, own } from "./dict";
import type { SchemaMethod, SchemaProperty } from "./api-schema";
import { checkProp, SchemaErrors } from "./schema-check";

/**
 * Highest index + 1 of PVE's indexed parameters (`net[n]` allows `net0`…`net31`). The schema
 * only says `[n]`; these limits are qemu-server's / pve-container's / corosync's.
 */
const INDEX_LIMITS: Readonly<Record<string, number>> = {
  net: 32,
  ipconfig: 32,
  scsi: 31,
  virtio: 16,
  sata: 6,
  ide: 4,
  unused: 256,
  hostpci: 16,
  usb: 14,
  serial: 4,
  parallel: 3,
  numa: 8,
  virtiofs: 10,
  mp: 256,
  dev: 256,
  link: 8,
  acmedomain: 5,
};

/** The schema of parameter `name`, resolving indexed names (`net3` → `net[n]`). */
export function findParameter(props: Readonly<Record<string, SchemaProperty>>, name: string): SchemaProperty | undefined {
  if (has(props, name)) return props[name];
  const m = /^([a-z]+)(\d+)$/.exec(name);
  if (!m) return undefined;
  const indexed = own(props, `${m[1]}[n]`);
  if (!indexed) return undefined;
  const limit = own(INDEX_LIMITS, m[1]) ?? 256;
  return Number(m[2]) < limit && String(Number(m[2])) === m[2] ? indexed : undefined;
}

/**
 * Validates a request's parameters (path parameters merged with query/body arguments) against the
 * method's schema as PVE's `validate` does: unknown parameters (unless `additionalProperties`),
 * missing required ones, `requires`, then each value. Returns PVE's error map (empty when valid).
 */
export function validateParams(
  method: SchemaMethod,
  params: Readonly<Record<string, string>>,
  shapes: Readonly<Record<string, "ARRAY" | "HASH">> = {},
): SchemaErrors {
  const props = method.parameters?.properties ?? {};
  const additional = method.parameters?.additionalProperties === 1;
  const errors: SchemaErrors = {};
  for (const [name, schema] of Object.entries(props)) {
    if (name.endsWith("[n]") || params[name] !== undefined) continue;
    if (!schema.optional && !schema.alias) errors[name] = "property is missing and it is not optional";
  }
  for (const [name, value] of Object.entries(params)) {
    const schema = findParameter(props, name);
    if (!schema) {
      if (!additional) errors[name] = "property is not defined in schema and the schema does not allow additional properties";
      continue;
    }
    const shape = own(shapes, name);
    if (shape && schema.type !== (shape === "ARRAY" ? "array" : "object")) {
      // pve-http-server hands a repeated key (or a JSON list/object) to the method as a Perl
      // reference; pve-common's check_type refuses it for any other type.
      errors[name] = `type check ('${schema.type ?? "string"}') failed - got ${shape}`;
      continue;
    }
    checkProp(value, schema, name, errors);
    if (schema.requires && params[schema.requires] === undefined) {
      errors[schema.requires] = `missing property - '${name}' requires this property`;
    }
  }
  return errors;
}
