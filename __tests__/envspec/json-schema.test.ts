import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SPEC_SCHEMA_FILE, specSchemaText } from "../../scripts/export-spec-schema";
import { environmentJsonSchema } from "../../envspec";
import { check, JsonSchema, subSchemas, unsupportedKeywords } from "./mini-json-schema";

const EXAMPLES = ["dev", "staging", "prod"].map((name) => path.join(__dirname, "..", "..", "environments", `${name}.yaml`));
const exampleData = (file: string) => parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

/** Every object schema in the tree, with its location. */
function objectSchemas(schema: JsonSchema, at = "#"): { at: string; schema: JsonSchema }[] {
  const here = schema.type === "object" ? [{ at, schema }] : [];
  return [...here, ...subSchemas(schema).flatMap((s) => objectSchemas(s.schema, `${at}/${s.at}`))];
}

describe("environment JSON Schema", () => {
  const schema = environmentJsonSchema();

  it("is a draft 2020-12 object schema that requires the fields without a safe default", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["name", "stage", "nodes", "network", "templates", "tiers", "cloudInit"]);
  });

  it("uses only keywords that structured-output engines enforce", () => {
    expect(unsupportedKeywords(schema)).toEqual([]);
  });

  it("closes every fixed-shape object with additionalProperties: false", () => {
    // GIVEN every object schema; name->value maps (templates, tiers) constrain their values with a schema instead
    const objects = objectSchemas(schema);
    const maps = objects.filter((o) => typeof o.schema.additionalProperties === "object").map((o) => o.at);

    // THEN fixed-shape objects reject unknown keys, and the only open maps are templates, container templates, Windows installers, tiers and adopted guests (by name)
    expect(maps).toEqual([
      "#/properties/templates",
      "#/properties/containerTemplates",
      "#/properties/windowsInstallers",
      "#/properties/tiers",
      "#/properties/adopted",
    ]);
    for (const o of objects.filter((x) => !maps.includes(x.at))) {
      expect([o.at, o.schema.additionalProperties]).toEqual([o.at, false]);
    }
  });

  it("carries the limits as integer bounds", () => {
    const tier = ((schema.properties as Record<string, JsonSchema>).tiers.additionalProperties as JsonSchema).properties as Record<string, JsonSchema>;
    expect(tier.count).toMatchObject({ type: "integer", minimum: 1, maximum: 500 });
    expect(tier.cores).toMatchObject({ type: "integer", minimum: 1, maximum: 128 });
    expect(tier.memoryMiB).toMatchObject({ type: "integer", minimum: 512, maximum: 1048576 });
    expect(tier.diskGiB).toMatchObject({ type: "integer", minimum: 1, maximum: 65536 });
  });

  it.each(EXAMPLES)("accepts the example %s", (file) => {
    expect(check(schema, exampleData(file))).toEqual([]);
  });

  it("rejects what the spec rejects structurally: an unknown key, a count out of range, a bad port", () => {
    // GIVEN the prod example with three structural mistakes (the checker must not be vacuous)
    const data = exampleData(EXAMPLES[2]);
    const tiers = data.tiers as Record<string, Record<string, unknown>>;
    tiers.web.cuont = 3;
    tiers.db.count = 0;
    (data.firewall as Record<string, Record<string, unknown>[]>).allow[0].port = "htps";

    // THEN the JSON Schema reports each of them
    expect(check(schema, data)).toEqual([
      "$.tiers.web.cuont: additional property",
      "$.tiers.db.count: below minimum",
      expect.stringMatching(/^\$\.firewall\.allow\[0\]\.port: does not match /),
    ]);
  });

  it("is committed up to date in envspec/environment.schema.json (run scripts/export-spec-schema.ts)", () => {
    expect(fs.readFileSync(SPEC_SCHEMA_FILE, "utf8")).toBe(specSchemaText());
  });
});
