import { AttributePath, pathText, ResourceChange } from "./terraform-plan";

/** One attribute whose value differs between before and after. */
export interface AttributeChange {
  /** Path to the leaf that changed, e.g. `["memory", 0, "dedicated"]`. */
  readonly path: AttributePath;
  /** Old value. @default unset when {@link sensitive} */
  readonly before?: unknown;
  /** New value. @default unset when {@link sensitive} or {@link unknownAfter} */
  readonly after?: unknown;
  /** The value is sensitive on either side: it is never read, only that it changed. */
  readonly sensitive: boolean;
  /** The new value is known only after apply. */
  readonly unknownAfter: boolean;
}

/** Markers of one side of a change, mirroring the values: `true` marks a sensitive or unknown subtree. */
export interface AttributeMarkers {
  /** Terraform's `before_sensitive`. @default nothing sensitive */
  readonly beforeSensitive?: unknown;
  /** Terraform's `after_sensitive`. @default nothing sensitive */
  readonly afterSensitive?: unknown;
  /** Terraform's `after_unknown`. @default everything known */
  readonly afterUnknown?: unknown;
}

/**
 * Every leaf attribute that differs between `before` and `after`, sorted by path. null, "", [] and
 * {} all mean "not set" to the provider, so a change among them is none. A sensitive subtree is
 * one change whose values are never copied; an unknown one is a change to "known after apply".
 */
export function attributeChanges(before: unknown, after: unknown, markers: AttributeMarkers = {}): AttributeChange[] {
  const out: AttributeChange[] = [];
  walk(before, after, [], markers.beforeSensitive, markers.afterSensitive, markers.afterUnknown, out);
  return out;
}

/** {@link attributeChanges} of a planned or drifted resource, with its sensitivity and unknown markers. */
export function changedAttributes(c: ResourceChange): AttributeChange[] {
  return attributeChanges(c.before, c.after, { beforeSensitive: c.beforeSensitive, afterSensitive: c.afterSensitive, afterUnknown: c.afterUnknown });
}

function walk(b: unknown, a: unknown, at: (string | number)[], bs: unknown, as: unknown, au: unknown, out: AttributeChange[]): void {
  if (bs === true || as === true) {
    if (JSON.stringify(b) !== JSON.stringify(a) || au === true) out.push({ path: at, sensitive: true, unknownAfter: au === true });
    return;
  }
  if (au === true) {
    if (!isEmpty(b)) out.push({ path: at, before: b, sensitive: false, unknownAfter: true });
    return;
  }
  if (JSON.stringify(b) === JSON.stringify(a) && !hasMarker(au)) return;
  if (isEmpty(b) && isEmpty(a) && !hasMarker(au)) return;
  if (isContainer(b) && isContainer(a)) {
    for (const k of keysOf(b, a, au)) walk(child(b, k), child(a, k), [...at, k], child(bs, k), child(as, k), child(au, k), out);
    return;
  }
  out.push({ path: at, before: b, after: a, sensitive: false, unknownAfter: false });
}

/** A value in one short token: strings as written unless empty or odd, the rest as JSON. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "null";
  if (typeof v === "string") return /^[A-Za-z0-9_.:/+@,=-]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** `input_policy ACCEPT → DROP`, `password (sensitive) changed`, `vm_id 4002 → (known after apply)`. */
export function formatAttributeChange(c: AttributeChange): string {
  const name = pathText(c.path) || "(value)";
  if (c.sensitive) return `${name} (sensitive) changed`;
  return `${name} ${formatValue(c.before)} → ${c.unknownAfter ? "(known after apply)" : formatValue(c.after)}`;
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === "object" && v !== null;
}

/** null, undefined, "", [] and {} all mean "not set" to the providers. */
function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (isContainer(v) && Object.keys(v).length === 0);
}

function hasMarker(m: unknown): boolean {
  return m === true || (isContainer(m) && Object.values(m).some(hasMarker));
}

function child(v: unknown, k: string | number): unknown {
  return isContainer(v) ? (v as Record<string, unknown>)[k] : undefined;
}

/** Keys of both sides (and of the unknown markers), array indexes in numeric order, names sorted. */
function keysOf(b: object, a: object, au: unknown): (string | number)[] {
  if (Array.isArray(b) || Array.isArray(a)) {
    const n = Math.max(Array.isArray(b) ? b.length : 0, Array.isArray(a) ? a.length : 0, Array.isArray(au) ? au.length : 0);
    return Array.from({ length: n }, (_, i) => i);
  }
  return [...new Set([...Object.keys(b), ...Object.keys(a), ...(isContainer(au) ? Object.keys(au) : [])])].sort();
}
