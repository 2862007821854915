import { z } from "zod";
import { describeValue } from "./describe-value";
import { didYouMean } from "./did-you-mean";
import type { SpecIssue, SpecPath } from "./spec-issue";

const EXPECTED: Readonly<Record<string, string>> = {
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
};

/**
 * Error map for parsing a spec: the messages of every issue a schema does not word itself,
 * in the house style (`expected a list, got a mapping`, `must be one of dev, staging, prod, got "production"`).
 */
export const specErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required field is missing";
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}${yaml11Hint(issue.expected, issue.input)}`;
    case "invalid_value": {
      const values = issue.values.map(String);
      const suggestion = typeof issue.input === "string" ? didYouMean(issue.input, values) : "";
      return `must be one of ${values.join(", ")}, got ${describeValue(issue.input)}${suggestion}`;
    }
    case "unrecognized_keys":
      return "unknown key";
    default:
      return undefined;
  }
};

/** YAML 1.2 (which the loader uses) reads yes/no/on/off as strings, unlike YAML 1.1 tools. */
function yaml11Hint(expected: string, input: unknown): string {
  const yaml11 = typeof input === "string" && /^(y|yes|n|no|on|off)$/i.test(input);
  return expected === "boolean" && yaml11 ? "; YAML 1.2 reads yes/no/on/off as text, write true or false" : "";
}

/** Turns zod issues into spec issues: one per unknown key, the best branch of a union, keys of records. */
export function toSpecIssues(issues: readonly z.core.$ZodIssue[], root: z.ZodType, prefix: SpecPath = []): SpecIssue[] {
  const out: SpecIssue[] = [];
  // Zod still runs length checks on a value of the wrong type (a string instead of a list);
  // the wrong type is the one problem worth reporting for that field.
  const mistyped = new Set(issues.filter((i) => i.code === "invalid_type").map((i) => JSON.stringify(i.path)));
  for (const issue of issues) {
    if (issue.code !== "invalid_type" && mistyped.has(JSON.stringify(issue.path))) continue;
    const path: SpecPath = [...prefix, ...(issue.path as (string | number)[])];
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeysAt(root, path);
        for (const key of issue.keys) {
          const list = allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : "";
          out.push({ path: [...path, key], at: "key", message: `unknown key${list}${didYouMean(key, allowed)}` });
        }
        break;
      }
      case "invalid_union": {
        const branch = bestBranch(issue.errors);
        if (branch === undefined) out.push({ path, at: "value", message: issue.message });
        else out.push(...toSpecIssues(branch, root, path));
        break;
      }
      case "invalid_key":
        out.push({ path, at: "key", message: issue.issues[0]?.message ?? issue.message });
        break;
      default:
        out.push({ path, at: "value", message: issue.message });
    }
  }
  return out;
}

/**
 * The union branch the author evidently meant: the one whose top level fits best (fewest unknown
 * or missing keys, no wrong type). Undefined when no branch stands out: the union's own message
 * ("set exactly one of sdn or bridge") is then the clearest thing to say.
 */
function bestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const misfit = (issues: readonly z.core.$ZodIssue[]) =>
    issues.reduce((sum, issue) => {
      if (issue.path.length === 0) return sum + (issue.code === "unrecognized_keys" ? issue.keys.length : 100);
      if (issue.path.length === 1 && issue.code === "invalid_type" && issue.input === undefined) return sum + 1;
      return sum;
    }, 0);
  const scores = branches.map(misfit);
  const best = Math.min(...scores);
  if (best >= 100 || scores.filter((s) => s === best).length !== 1) return undefined;
  return branches[scores.indexOf(best)];
}

/** Keys the schema allows in the mapping at `path` (all options of a union), for "did you mean". */
export function allowedKeysAt(schema: z.ZodType, path: SpecPath): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    if (current === undefined) return [];
    if (segment === undefined) break;
    if (current instanceof z.ZodObject) current = current.shape[segment] as z.ZodType | undefined;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodUnion) {
      const options = current.options as z.ZodType[];
      current = options.find((o) => o instanceof z.ZodObject && String(segment) in o.shape);
      if (current instanceof z.ZodObject) current = current.shape[segment] as z.ZodType;
    } else return [];
  }
  if (current instanceof z.ZodObject) return Object.keys(current.shape);
  if (current instanceof z.ZodUnion) {
    return (current.options as z.ZodType[]).flatMap((o) => (o instanceof z.ZodObject ? Object.keys(o.shape) : []));
  }
  return [];
}
