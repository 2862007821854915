import { splitList } from "./pve-formats";
import type { ApiRequest } from "./route";
import { parsePveBoolean } from "./schema-check";

/**
 * Typed readers of already-validated request arguments. Validation has run before a handler sees
 * the request, so these only convert PVE's wire forms (`1`/`true`/`on`, `+5`, `a,b;c`).
 */

/** A boolean argument (1/0, true/false, yes/no, on/off); undefined when absent. */
export function boolArg(req: Pick<ApiRequest, "args">, name: string): boolean | undefined {
  return parsePveBoolean(req.args[name]);
}

/** An integer or number argument; undefined when absent. */
export function numberArg(req: Pick<ApiRequest, "args">, name: string): number | undefined {
  const v = req.args[name];
  return v === undefined ? undefined : Number(v);
}

/** A list argument split as PVE's `split_list` does; empty when absent. */
export function listArg(req: Pick<ApiRequest, "args">, name: string): string[] {
  const v = req.args[name];
  return v === undefined ? [] : splitList(v);
}

/** PVE's JSON booleans: 1 or 0. */
export function pveBool(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}
