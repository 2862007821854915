/**
 * References that are known at synth. `${<type>.<name>.<attribute>}` where the resource is in the
 * same stack and sets `<attribute>` to a literal is that literal once applied (the provider keeps
 * configured values as written), so the policy substitutes it: `+${…firewall_ipset.admins.name}`
 * is the IP set `+admins`, `${…sdn_vnet.net.id}` is the vnet's id. Everything else (computed
 * attributes, variables, functions) stays an interpolation, unknown until apply.
 */

const REFERENCE = /\$\{([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A configured literal scalar, or undefined. */
function literal(v: unknown): string | undefined {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string" && !v.includes("${")) return v;
  return undefined;
}

/**
 * A copy of `config` with every reference to a literal attribute of `resources` (by address)
 * replaced by that literal. Objects and arrays are copied; `config` is left as it is.
 */
export function substituteKnownReferences(config: unknown, resources: ReadonlyMap<string, Readonly<Record<string, unknown>>>): unknown {
  if (typeof config === "string") {
    if (!config.includes("${")) return config;
    const whole = /^\$\{([^{}]*)\}$/.exec(config);
    const replaced = config.replace(
      REFERENCE,
      (match, type: string, name: string, attribute: string) => literal(resources.get(`${type}.${name}`)?.[attribute]) ?? match,
    );
    // A whole-value reference to a number or boolean keeps its type.
    if (whole && !replaced.includes("${")) {
      const [type, name, attribute] = whole[1].split(".");
      const target = resources.get(`${type}.${name}`)?.[attribute];
      if (typeof target === "number" || typeof target === "boolean") return target;
    }
    return replaced;
  }
  if (Array.isArray(config)) return config.map((e) => substituteKnownReferences(e, resources));
  if (typeof config === "object" && config !== null) {
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, substituteKnownReferences(v, resources)]));
  }
  return config;
}
