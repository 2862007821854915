import { z } from "zod";
import { describeValue } from "./describe-value";

/**
 * An integer within `[min, max]` whose every failure reads like
 * `must be between 1 and 500, got 0`. The bounds land in the JSON Schema as minimum/maximum.
 */
export function boundedInt(min: number, max: number, description: string) {
  const error = (issue: { code: string; input?: unknown }): string | undefined => {
    const input = issue.input;
    if (input === undefined) return undefined; // "required field is missing" comes from the shared error map
    if (typeof input !== "number") return `expected an integer between ${min} and ${max}, got ${describeValue(input)}`;
    if (!Number.isInteger(input)) return `must be a whole number between ${min} and ${max}, got ${input}`;
    return `must be between ${min} and ${max}, got ${input}`;
  };
  return z.int({ error }).min(min, { error }).max(max, { error }).describe(description);
}
