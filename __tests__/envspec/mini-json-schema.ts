/**
 * A deliberately small JSON Schema checker for the keywords our exported schema may use — the
 * subset structured-output engines (Ollama `format`) enforce. Anything outside the subset is a
 * test failure in itself (see SUPPORTED_KEYWORDS), so the checker cannot silently pass it.
 */
export type JsonSchema = Record<string, unknown>;

/** Keywords the exported schema may contain. */
export const SUPPORTED_KEYWORDS = new Set([
  "$schema",
  "title",
  "description",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "minItems",
  "maxItems",
  "enum",
  "const",
  "pattern",
  "maxLength",
  "minimum",
  "maximum",
  "anyOf",
]);

/** Every keyword used anywhere in the schema that is outside {@link SUPPORTED_KEYWORDS}. */
export function unsupportedKeywords(schema: JsonSchema, at = "#"): string[] {
  const out: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!SUPPORTED_KEYWORDS.has(key)) out.push(`${at}/${key}`);
  }
  for (const sub of subSchemas(schema)) out.push(...unsupportedKeywords(sub.schema, `${at}/${sub.at}`));
  return out;
}

/** Direct sub-schemas with their JSON-pointer-ish location. */
export function subSchemas(schema: JsonSchema): { at: string; schema: JsonSchema }[] {
  const out: { at: string; schema: JsonSchema }[] = [];
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [k, v] of Object.entries(props)) out.push({ at: `properties/${k}`, schema: v });
  if (isObject(schema.additionalProperties)) out.push({ at: "additionalProperties", schema: schema.additionalProperties });
  if (isObject(schema.propertyNames)) out.push({ at: "propertyNames", schema: schema.propertyNames });
  if (isObject(schema.items)) out.push({ at: "items", schema: schema.items });
  ((schema.anyOf ?? []) as JsonSchema[]).forEach((s, i) => out.push({ at: `anyOf/${i}`, schema: s }));
  return out;
}

function isObject(v: unknown): v is JsonSchema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Errors of `value` against `schema` (empty when valid). */
export function check(schema: JsonSchema, value: unknown, at = "$"): string[] {
  const errors: string[] = [];
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as JsonSchema[]).some((s) => check(s, value, at).length === 0);
    if (!ok) errors.push(`${at}: matches no anyOf branch`);
  }
  if (typeof schema.type === "string") {
    const actual = typeOf(value);
    const fits = actual === schema.type || (schema.type === "number" && actual === "integer");
    if (!fits) return [...errors, `${at}: expected ${schema.type}, got ${actual}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: not in enum`);
  if ("const" in schema && schema.const !== value) errors.push(`${at}: not the const`);
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) errors.push(`${at}: too long`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${at}: too many items`);
    if (isObject(schema.items)) value.forEach((v, i) => errors.push(...check(schema.items as JsonSchema, v, `${at}[${i}]`)));
  }
  if (isObject(value) && schema.type === "object") {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in value)) errors.push(`${at}.${key}: required`);
    for (const [key, v] of Object.entries(value)) {
      if (isObject(schema.propertyNames)) errors.push(...check(schema.propertyNames, key, `${at}{${key}}`));
      if (key in props) errors.push(...check(props[key], v, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${key}: additional property`);
      else if (isObject(schema.additionalProperties)) errors.push(...check(schema.additionalProperties, v, `${at}.${key}`));
    }
  }
  return errors;
}
