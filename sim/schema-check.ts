import type { SchemaProperty } from "./api-schema";
import { parsePropertyString, PropertyFormat } from "./property-string";
import { checkNamedFormat } from "./pve-formats";
import { pvePattern } from "./pve-pattern";

/** Error texts keyed by parameter path (`net0`, `net0.bridge`), as PVE's `errors` map. */
export type SchemaErrors = Record<string, string>;

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.\d*|\d*\.\d+|\d+)([eE][+-]?\d+)?$/;
const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;

/** True when `value` is a boolean as PVE's API accepts it (1/0, true/false, yes/no, on/off). */
export function isPveBoolean(value: string): boolean {
  return TRUE.test(value) || FALSE.test(value);
}

/** PVE's reading of a boolean parameter; undefined when absent. */
export function parsePveBoolean(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : TRUE.test(value);
}

function typeOk(type: string | undefined, value: string): boolean {
  switch (type) {
    case "integer":
      return INTEGER.test(value);
    case "number":
      return NUMBER.test(value);
    case "boolean":
      return isPveBoolean(value);
    default:
      return true;
  }
}

/**
 * Checks one present value against its schema the way pve-common's `check_prop` does, in the same
 * order (type, length, range, format, pattern, enum) and with the same messages; the first
 * failure of a value is recorded under `path`. Array values arrive NUL-joined (repeated form keys).
 */
export function checkProp(value: string, schema: SchemaProperty, path: string, errors: SchemaErrors): void {
  if (schema.oneOf !== undefined) return; // type-switched schemas (SDN fabrics) are not checked
  if (schema.type === "array") {
    if (schema.items) value.split("\0").forEach((v) => checkProp(v, schema.items as SchemaProperty, path, errors));
    return;
  }
  if (!typeOk(schema.type, value)) {
    errors[path] = `type check ('${schema.type}') failed - got '${value}'`;
    return;
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    errors[path] = `value may only be ${schema.maxLength} characters long`;
    return;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    errors[path] = `value must be at least ${schema.minLength} characters long`;
    return;
  }
  if (NUMBER.test(value)) {
    const n = Number(value);
    if (schema.minimum !== undefined && n < schema.minimum) {
      errors[path] = `value must have a minimum value of ${schema.minimum}`;
      return;
    }
    if (schema.maximum !== undefined && n > schema.maximum) {
      errors[path] = `value must have a maximum value of ${schema.maximum}`;
      return;
    }
  }
  if (schema.format !== undefined) {
    const err = typeof schema.format === "string" ? checkNamedFormat(schema.format, value) : checkPropertyString(schema.format, value, path);
    if (err) {
      errors[path] = `invalid format - ${err}`;
      return;
    }
  }
  if (schema.pattern !== undefined && !pvePattern(schema.pattern).test(value)) {
    errors[path] = "value does not match the regex pattern";
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors[path] = `value '${value}' does not have a value in the enumeration '${schema.enum.join("', '")}'`;
  }
}

/**
 * Checks a property string: parse errors, then every key as `check_object` does (types, ranges,
 * enums, patterns, named formats one level deep; required keys present).
 */
function checkPropertyString(format: PropertyFormat, value: string, path: string): string | undefined {
  let parsed: Record<string, string>;
  try {
    parsed = parsePropertyString(format, value);
  } catch (e) {
    return (e as Error).message;
  }
  const errors: SchemaErrors = {};
  checkObject(format, parsed, path, errors);
  const lines = Object.entries(errors).map(([k, v]) => `${k}: ${v}`);
  return lines.length ? `format error\n${lines.join("\n")}` : undefined;
}

/** `check_object` for a property string: required keys, `requires`, then each value. */
function checkObject(format: PropertyFormat, value: Record<string, string>, path: string, errors: SchemaErrors): void {
  for (const [key, schema] of Object.entries(format)) {
    const v = value[key];
    if (v === undefined) {
      if (!schema.optional && !schema.alias) errors[`${path}.${key}`] = "property is missing and it is not optional";
      continue;
    }
    if (schema.alias) continue;
    checkProp(v, schema, `${path}.${key}`, errors);
  }
  for (const key of Object.keys(value)) {
    const requires = format[key]?.requires;
    if (requires && value[requires] === undefined) errors[`${path}.${requires}`] = `missing property - '${path}.${key}' requires this property`;
  }
}
