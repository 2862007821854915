/**
 * Writes envspec/environment.schema.json, the JSON Schema of environments/*.yaml generated from the
 * zod schema (editors use it for completion; the AI helper passes it to Ollama as `format`).
 * Run: `npx tsx scripts/export-spec-schema.ts`. A test fails when the committed file is stale.
 */
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import { environmentJsonSchema } from "../envspec/json-schema";

/** Where the schema is committed. */
export const SPEC_SCHEMA_FILE = path.join(__dirname, "..", "envspec", "environment.schema.json");

/** The file content: stable, pretty-printed JSON with a trailing newline. */
export function specSchemaText(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileAtomic(SPEC_SCHEMA_FILE, specSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), SPEC_SCHEMA_FILE)}`);
}
