import { readFileSync } from "fs";
import * as path from "path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { z } from "zod";

/**
 * SARIF validation, twice: against the official SARIF 2.1.0 JSON schema (draft-04, as shipped in
 * the @microsoft/jest-sarif package) with ajv, and against a stricter hand-written subset that
 * also rejects properties the report must never write (see its `$comment`).
 */
const officialSchema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// unicodeRegExp off: the official schema's `language` pattern has a stray `]` that only the u flag rejects.
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);

/** The official SARIF 2.1.0 schema: `officialValidator(log)` is true when valid; `.errors` says why not. */
export const officialValidator = ajv.compile(officialSchema);

/** The stricter subset (sarif-2.1.0-subset.schema.json) as a zod schema: `safeParse(log)`. */
export const sarifValidator = z.fromJSONSchema(JSON.parse(readFileSync(path.join(__dirname, "sarif-2.1.0-subset.schema.json"), "utf8")), {
  registry: z.registry(),
});
