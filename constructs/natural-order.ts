/**
 * Compares two texts with their runs of digits as numbers and the rest by code unit: `web-2` sorts
 * before `web-10`, and `10.0.0.9` before `10.0.0.10`. A total order (numerically equal runs with
 * different leading zeros fall back to the text), so sorting with it is deterministic. Rule lists
 * sorted this way put a new tier member (numbered last) last, so the provider appends its rule
 * instead of moving every rule after its place.
 */
export function compareNatural(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < ta.length && i < tb.length; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, "");
      const ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}
