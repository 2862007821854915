/** A path into a spec: mapping keys and list indexes, from the document root. */
export type SpecPath = readonly (string | number)[];

/** One problem found in a spec, before it is tied to a position in a file. */
export interface SpecIssue {
  /** Where the problem is, e.g. `["tiers", "web", "count"]`. */
  readonly path: SpecPath;
  /** What is wrong and how to fix it, e.g. `must be between 1 and 500, got 0`. */
  readonly message: string;
  /** Whether the problem is the mapping key at `path` (unknown or badly named) rather than its value. */
  readonly at: "key" | "value";
}

/** Renders a path the way a reader writes it: `tiers.web.count`, `firewall.allow[0].port`. */
export function formatPath(path: SpecPath): string {
  if (path.length === 0) return "(document)";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
