/**
 * Prototype-safe dictionaries. Every map in the simulator keyed by a caller's value (user, token,
 * role, group, pool, job, SDN or HA id, argument name) is one of these: an object without a
 * prototype, so `constructor`, `__proto__` or `prototype` are ordinary keys — never an inherited
 * function, never a prototype swap on assignment (PVE's Perl hashes have no such keys either).
 */
export type Dict<T> = Record<string, T>;

/** A new empty dictionary (no prototype). */
export function dict<T>(entries?: Iterable<readonly [string, T]> | Readonly<Record<string, T>>): Dict<T> {
  const out = Object.create(null) as Dict<T>;
  if (!entries) return out;
  const pairs = Symbol.iterator in entries ? entries : Object.entries(entries as Record<string, T>);
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** The value stored under `key` itself, never one inherited from a prototype. */
export function own<T>(d: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return d !== undefined && Object.prototype.hasOwnProperty.call(d, key) ? d[key] : undefined;
}

/** Whether `key` is stored in `d` itself. */
export function has(d: Readonly<Record<string, unknown>> | undefined, key: string): boolean {
  return d !== undefined && Object.prototype.hasOwnProperty.call(d, key);
}

/**
 * Rebuilds a JSON value with every object prototype-free (used on loaded state and on the initial
 * value of every state slice). Iterative, so hostile nesting cannot overflow the stack.
 */
export function prototypeFree<T>(value: T): T {
  const root: { v: unknown } = { v: value };
  const stack: Array<{ parent: Record<string | number, unknown>; key: string | number }> = [{ parent: root, key: "v" }];
  while (stack.length > 0) {
    const { parent, key } = stack.pop() as { parent: Record<string | number, unknown>; key: string | number };
    const v = parent[key];
    if (Array.isArray(v)) {
      v.forEach((_, i) => stack.push({ parent: v as unknown as Record<number, unknown>, key: i }));
    } else if (v !== null && typeof v === "object" && !(v instanceof Set) && !(v instanceof Map)) {
      const copy = dict<unknown>(Object.entries(v as Record<string, unknown>));
      parent[key] = copy;
      for (const k of Object.keys(copy)) stack.push({ parent: copy, key: k });
    }
  }
  return root.v as T;
}
