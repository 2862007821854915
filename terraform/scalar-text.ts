/**
 * A value read from untyped data (Terraform JSON, a plan, an API reply) as text for a message or a
 * table: a string as written, a number or boolean as JavaScript writes it, anything else as JSON, so
 * an object or a list never reads "[object Object]".
 */
export function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === undefined || typeof value === "symbol" || typeof value === "function") return typeof value;
  return JSON.stringify(value);
}
