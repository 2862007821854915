import { LIMITS } from "./limits";
import { COMMON_DEFAULTS } from "./stage-defaults";

/**
 * Defensive readers for a spec that may not have passed the schema: cross-field checks run on
 * the raw data so that one wrong type does not hide every other problem in the file.
 */
export type RawMap = Readonly<Record<string, unknown>>;

/** The value as a mapping, or undefined if it is not one. */
export function asMap(value: unknown): RawMap | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as RawMap) : undefined;
}

/** The value as a list, or an empty list if it is not one. */
export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value if it is a whole number. */
export function asInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

/** VMs a tier asks for (the default when unset), or undefined when its count is invalid (the schema reports that). */
export function tierCount(tier: unknown): number | undefined {
  const count = asMap(tier)?.count;
  if (count === undefined) return COMMON_DEFAULTS.tier.count;
  const n = asInt(count);
  return n !== undefined && n >= LIMITS.countPerTier.min && n <= LIMITS.countPerTier.max ? n : undefined;
}
