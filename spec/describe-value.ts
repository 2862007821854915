/**
 * Renders a value from a spec file for an error message ("got ..."), short enough for one line:
 * strings are quoted and cut, collections are named by their YAML kind.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (typeof value === "string") {
    const cut = value.length > 48 ? `${value.slice(0, 45)}...` : value;
    return JSON.stringify(cut);
  }
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}
