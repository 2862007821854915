import type { SpecIssue, SpecPath } from "./spec-issue";

/**
 * Keys that name JavaScript object internals. A spec never needs them, and as data they either
 * vanish (a tier named `__proto__` is dropped by the validator's record handling) or reach code
 * that treats them specially; they are refused wherever they appear, in YAML and in JSON data.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The message for a forbidden key. */
export function forbiddenKeyMessage(key: string): string {
  return `"${key}" is not allowed as a key: it names a JavaScript object internal; rename it`;
}

/**
 * Every forbidden own key in parsed data (JSON from the AI helper; the YAML reader refuses them
 * before data exists). Iterative, and each object is visited once, so cyclic data cannot loop.
 */
export function forbiddenKeyIssues(data: unknown): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Set<object>();
  const pending: { value: unknown; path: SpecPath }[] = [{ value: data, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => pending.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) issues.push({ path: [...path, key], at: "key", message: forbiddenKeyMessage(key) });
      else pending.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return issues;
}
