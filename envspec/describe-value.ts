/**
 * Characters that do not show as themselves: anything outside printable ASCII (invisible format
 * characters, bidi overrides, look-alike letters from other scripts, non-breaking spaces).
 */
const UNCLEAR = /[^\x20-\x7e]/g;

/**
 * Renders a value from a spec file for an error message ("got ..."), short enough for one line:
 * strings are quoted and cut, collections are named by their YAML kind, and characters that do not
 * show as themselves are written as `\u` escapes (`"w\u0435b"`, not a "web" that looks valid).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (typeof value === "string") {
    const cut = value.length > 48 ? `${value.slice(0, 45)}...` : value;
    return JSON.stringify(cut).replace(UNCLEAR, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value;
}
