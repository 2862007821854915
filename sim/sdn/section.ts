import { PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import type { Section } from "./sdn-store";
import { dict } from "../dict";

/** Request arguments that steer the call rather than configure the object. */
const CONTROL = new Set(["type", "digest", "delete", "lock-token", "pending", "running", "zone", "vnet", "subnet"]);

/**
 * SectionConfig::check_config for a plugin with `options`: the configured values (control
 * arguments and the object's own id key excluded), refusing options the type does not have and,
 * on create, missing required ones. `nodes` is kept sorted, as PVE encodes it.
 */
export function sectionOptions(
  args: Readonly<Record<string, string>>,
  options: readonly string[],
  required: readonly string[],
  create: boolean,
  keep: readonly string[] = [],
): Section {
  const out: Section = dict();
  for (const [key, value] of Object.entries(args)) {
    if (CONTROL.has(key) && !keep.includes(key)) continue;
    if (!options.includes(key)) throw new PveError(500, `unexpected property '${key}'`);
    out[key] = key === "nodes" ? [...new Set(splitList(value))].sort().join(",") : value;
  }
  if (create) {
    const missing = required.find((key) => out[key] === undefined);
    if (missing) throw new PveError(500, `missing value for required option '${missing}'`);
  }
  return out;
}

/**
 * SectionConfig::delete_from_config: the `delete` list, checked against the type's options,
 * applied to `section`; then the new values are set.
 */
export function updateSection(
  section: Section,
  changes: Readonly<Section>,
  deleteList: string | undefined,
  options: readonly string[],
  required: readonly string[],
): void {
  for (const key of splitList(deleteList ?? "")) {
    if (!options.includes(key)) throw new PveError(500, `no such option '${key}'`);
    if (required.includes(key)) throw new PveError(500, `unable to delete required option '${key}'`);
    if (changes[key] !== undefined) throw new PveError(500, `cannot set and delete property '${key}' at the same time!`);
    delete section[key];
  }
  Object.assign(section, changes);
}
