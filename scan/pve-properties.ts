/**
 * Readers for PVE configuration values as the API returns them. Tolerant where the simulator's
 * parsers (sim/property-string.ts) are strict: scan reads whatever a real cluster of any version
 * holds, so an unknown key is kept, never an error.
 */

/**
 * A property string (`virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1`) as a map; a part
 * without `=` is the value of `defaultKey` (PVE's `default_key`, e.g. `file` of a drive). For
 * key aliases such as `virtio=<mac>` the model is recorded under `model` and the value under
 * the key itself.
 */
export function parseProperties(text: unknown, defaultKey?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== "string") return out;
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (defaultKey && out[defaultKey] === undefined) out[defaultKey] = part;
      continue;
    }
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** PVE's boolean (`1`/`0`, also `on`/`off`, `yes`/`no`, `true`/`false`); undefined when absent or not one. */
export function pveBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v !== "string") return undefined;
  if (/^(1|on|yes|true)$/i.test(v)) return true;
  if (/^(0|off|no|false)$/i.test(v)) return false;
  return undefined;
}

/** A PVE integer, or undefined. */
export function pveInt(v: unknown): number | undefined {
  const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
}

/** The guest's tags: PVE separates them by `;`, `,` or spaces (pve-guest-common's `split_list`). */
export function pveTags(v: unknown): string[] {
  return typeof v === "string" ? v.split(/[;,\s]+/).filter((t) => t !== "") : [];
}

/** A text value, or undefined when absent or not text. */
export function pveText(v: unknown): string | undefined {
  if (typeof v === "number") return String(v);
  return typeof v === "string" ? v : undefined;
}

/** The storage id of a volume (`local-lvm:vm-100-disk-0` → `local-lvm`); undefined for a path or `none`. */
export function storageOf(volume: string | undefined): string | undefined {
  const m = volume ? /^([a-zA-Z][a-zA-Z0-9._-]*):/.exec(volume) : null;
  return m ? m[1] : undefined;
}

/** Removes undefined values, so an attribute PVE does not hold stays absent, as in the provider's state. */
export function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The NIC keys of a guest config (`net0`, `net1`, …) in index order, as the provider lists them. */
export function netKeys(config: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(config)
    .filter((k) => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}
