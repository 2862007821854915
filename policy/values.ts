/**
 * Readers for resolved Terraform configuration values. A value that only exists at apply time
 * (a reference such as `${proxmox_virtual_environment_vm.web.vm_id}`) is *unknown*: every reader
 * returns `undefined` for it, so rules decide only on what the synthesised JSON really says.
 */

/** True for a value Terraform computes at apply time (it contains an interpolation). */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A value that is written in the configuration (not null, not absent). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** A known boolean; Terraform JSON also accepts "true"/"false" strings. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === 1 || value === 0) return value === 1;
  return undefined;
}

/** A known string. */
export function str(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** A known number (numeric strings accepted). */
export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** A plain object (not an array), or undefined. */
export function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * A single nested block: cdktf writes `agent = {...}`, hand-written JSON often `agent = [{...}]`;
 * both mean the same to Terraform.
 */
export function block(config: Readonly<Record<string, unknown>> | undefined, key: string): Record<string, unknown> | undefined {
  const value = config?.[key];
  return Array.isArray(value) ? obj(value[0]) : obj(value);
}

/** A repeated nested block or list of objects (a single object counts as a list of one). */
export function blocks(config: Readonly<Record<string, unknown>> | undefined, key: string): Record<string, unknown>[] {
  const value = config?.[key];
  if (Array.isArray(value)) return value.map(obj).filter((v): v is Record<string, unknown> => v !== undefined);
  const single = obj(value);
  return single ? [single] : [];
}

/** A list of known strings (unknown entries dropped), or undefined when the list itself is unknown or absent. */
export function strList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map(str).filter((v): v is string => v !== undefined);
}

/** Seconds in a Go duration such as `90s`, `3m`, `1h30m`; undefined when not one. */
export function goDurationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}
