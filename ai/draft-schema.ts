import { environmentJsonSchema } from "../envspec";

/**
 * Spec fields a model may never write. `userData` runs commands and writes files on every guest of a
 * tier as root: a request (or a prompt injection inside it) must not be able to smuggle that in, so
 * it is neither offered to the model nor accepted from it. People add user data by hand.
 */
export const FIELDS_NOT_FROM_A_MODEL = ["userData"] as const;

/** The JSON Schema sent to the model as `format`: the spec's schema without {@link FIELDS_NOT_FROM_A_MODEL}. */
export function draftJsonSchema(): Record<string, unknown> {
  return withoutProperties(environmentJsonSchema(), FIELDS_NOT_FROM_A_MODEL) as Record<string, unknown>;
}

/**
 * Where a model's answer writes a field it may not (`tiers.web.userData`), as problems to feed back.
 * The spec's own schema accepts these fields, so this check runs before it.
 */
export function forbiddenDraftFields(data: Record<string, unknown>): string[] {
  const tiers = data.tiers;
  if (typeof tiers !== "object" || tiers === null || Array.isArray(tiers)) return [];
  const problems: string[] = [];
  for (const [name, tier] of Object.entries(tiers)) {
    if (typeof tier !== "object" || tier === null) continue;
    for (const field of FIELDS_NOT_FROM_A_MODEL) {
      if (Object.prototype.hasOwnProperty.call(tier, field)) {
        problems.push(`tiers.${name}.${field}: not allowed in a draft (it runs commands on the guests); leave it out — people add user data by hand.`);
      }
    }
  }
  return problems;
}

function withoutProperties(schema: unknown, names: readonly string[]): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withoutProperties(s, names));
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === "properties" && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([p]) => !names.includes(p))
          .map(([p, v]) => [p, withoutProperties(v, names)]),
      );
    } else if (key === "required" && Array.isArray(value)) {
      out[key] = value.filter((p: unknown) => !(typeof p === "string" && names.includes(p)));
    } else {
      out[key] = withoutProperties(value, names);
    }
  }
  return out;
}
