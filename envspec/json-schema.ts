import { z } from "zod";
import { EnvironmentShape } from "./environment-schema";

/**
 * The JSON Schema (draft 2020-12) of an environment spec, generated from the zod schema. It holds
 * only what structured-output engines (Ollama's `format`) enforce: objects with
 * `additionalProperties: false`, arrays, enums, string patterns, integer bounds. Cross-field rules
 * (tier references, totals, subnets) are not in it: validate the result with validateEnvironment.
 */
export function environmentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(EnvironmentShape, {
    target: "draft-2020-12",
    unrepresentable: "throw",
    io: "input",
    // A JS RegExp source escapes "/" as "\/"; legal in JSON Schema, but grammar engines differ on it.
    override: (ctx) => {
      if (typeof ctx.jsonSchema.pattern === "string") ctx.jsonSchema.pattern = ctx.jsonSchema.pattern.replace(/\\\//g, "/");
    },
  });
  return { ...schema, title: "proxmox-cdk environment spec" };
}
