import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parsePort } from "../../envspec";
import { Expectation, EXPECTATION_KEYS } from "./expectations";

/** One request of the evaluation set. */
export interface EvalCase {
  /** Short unique id, e.g. `shop-prod`. */
  readonly id: string;
  readonly request: string;
  readonly expect: Expectation;
}

/** `ai/eval/requests.yaml`. */
export const EVAL_SET_FILE = path.join(__dirname, "requests.yaml");

/**
 * Loads and checks the evaluation set: unique ids, known expectation keys, ports that parse and
 * tier patterns that compile, so that a typo in an expectation fails here instead of passing.
 */
export function loadEvalSet(file: string = EVAL_SET_FILE): EvalCase[] {
  const data = parse(fs.readFileSync(file, "utf8")) as { requests?: unknown };
  if (!Array.isArray(data?.requests)) throw new Error(`${file}: "requests" must be a list of { id, request, expect }.`);
  const seen = new Set<string>();
  return data.requests.map((raw, i) => {
    const where = `${file}: requests[${i}]`;
    const c = raw as Partial<EvalCase>;
    if (typeof c.id !== "string" || !/^[a-z0-9-]+$/.test(c.id)) throw new Error(`${where}: "id" must be lowercase letters, digits and -.`);
    if (seen.has(c.id)) throw new Error(`${where}: duplicate id "${c.id}".`);
    seen.add(c.id);
    if (typeof c.request !== "string" || c.request.trim() === "") throw new Error(`${where} (${c.id}): "request" must be a text.`);
    if (typeof c.expect !== "object" || c.expect === null) throw new Error(`${where} (${c.id}): "expect" must be a mapping.`);
    checkExpectation(`${where} (${c.id})`, c.expect);
    return { id: c.id, request: c.request, expect: c.expect };
  });
}

function checkExpectation(where: string, e: Expectation): void {
  for (const key of Object.keys(e)) {
    if (!EXPECTATION_KEYS.includes(key as keyof Expectation))
      throw new Error(`${where}: unknown expectation "${key}" (known: ${EXPECTATION_KEYS.join(", ")}).`);
  }
  const ports = [...(e.exposedToWorld ?? []), ...(e.notExposedToWorld ?? []), ...[...(e.allow ?? []), ...(e.onlyFrom ?? [])].map((f) => f.port)];
  for (const p of ports) {
    try {
      parsePort(p);
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  }
  const patterns = [...(e.tiers ?? []).map((t) => t.match), ...[...(e.allow ?? []), ...(e.onlyFrom ?? [])].flatMap((f) => [f.from, f.to])];
  for (const p of patterns) {
    try {
      new RegExp(p);
    } catch (err) {
      throw new Error(`${where}: tier pattern /${p}/ does not compile: ${(err as Error).message}`);
    }
  }
}
