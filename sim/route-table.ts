import type { ApiSchema } from "./api-schema";
import type { HttpMethod, Route } from "./route";

interface Template {
  readonly template: string;
  /** Literal segment, or `{name}` for a path parameter. */
  readonly segments: readonly string[];
}

/** A request path resolved against the API schema. */
export interface PathMatch {
  readonly template: string;
  readonly params: Record<string, string>;
  /** The simulator's handler for the method, when one is registered. */
  readonly route?: Route;
}

const isParam = (segment: string): boolean => segment.startsWith("{") && segment.endsWith("}");

/**
 * Resolves unescaped path segments to a schema path template (literal segments win over
 * parameters, left to right, as PVE's handler lookup does) and to the registered route.
 */
export class RouteTable {
  private readonly byLength = new Map<number, Template[]>();
  private readonly routes = new Map<string, Route>();

  /** Throws when a route's template/method is not in the schema or is registered twice. */
  constructor(schema: ApiSchema, routes: readonly Route[]) {
    for (const template of schema.templates()) {
      const segments = template.split("/").filter((s) => s !== "");
      const list = this.byLength.get(segments.length) ?? [];
      list.push({ template, segments });
      this.byLength.set(segments.length, list);
    }
    for (const list of this.byLength.values()) list.sort((a, b) => specificity(b) - specificity(a));
    for (const r of routes) {
      if (!schema.method(r.template, r.method)) {
        throw new Error(
          `Simulator route ${r.method} ${r.template} is not in the PVE API schema: fix the template (it must be an apidata path) or drop the route.`,
        );
      }
      const key = `${r.method} ${r.template}`;
      if (this.routes.has(key)) throw new Error(`Simulator route ${key} is registered twice: remove one of the two families' definitions.`);
      this.routes.set(key, r);
    }
  }

  /** Resolves a path; undefined when no schema path matches it. */
  match(method: HttpMethod, segments: readonly string[]): PathMatch | undefined {
    for (const t of this.byLength.get(segments.length) ?? []) {
      const params: Record<string, string> = {};
      const ok = t.segments.every((s, i) => {
        if (isParam(s)) {
          params[s.slice(1, -1)] = segments[i];
          return true;
        }
        return s === segments[i];
      });
      if (ok) return { template: t.template, params, route: this.routes.get(`${method} ${t.template}`) };
    }
    return undefined;
  }
}

/** Orders templates so that a literal segment beats a parameter at the first position they differ. */
function specificity(t: Template): number {
  return t.segments.reduce((acc, s, i) => acc + (isParam(s) ? 0 : 2 ** (30 - i)), 0);
}
