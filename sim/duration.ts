const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parses a duration such as `500ms`, `2s`, `1.5s` or `1m` into milliseconds (a bare number is
 * milliseconds). `origin` names where the text came from, for the error message.
 */
export function parseDuration(text: string, origin: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`${origin}: "${text}" is not a duration; write e.g. 500ms, 2s or 1m`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? "ms"]);
}
