const compiled = new Map<string, RegExp>();

/**
 * Compiles a `pattern` of the PVE schema (Perl syntax) to a JavaScript RegExp anchored the way PVE
 * anchors it (`m/^$pattern$/`). Perl's `(?^:…)` groups become plain groups; `(?^i:…)` groups have no
 * JavaScript equivalent in Node 20, so a pattern containing one is matched case-insensitively as a
 * whole (slightly more permissive than PVE; documented in docs/simulator.md).
 */
export function pvePattern(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const caseless = /\(\?\^[a-z]*i[a-z]*:/.test(pattern);
    const js = pattern.replace(/\(\?\^[a-z]*:/g, "(?:");
    re = new RegExp(`^(?:${js})$`, caseless ? "i" : "");
    compiled.set(pattern, re);
  }
  return re;
}
