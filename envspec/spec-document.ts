import * as fs from "fs";
import { Document, parseDocument } from "yaml";
import { writeFileAtomic } from "../io/atomic-write";

/**
 * An environment spec file as an editable YAML document: edits through it keep the file's
 * comments and layout. Throws naming the file when it is not valid YAML.
 */
export function readSpecDocument(file: string, shownAs: string = file): Document {
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  if (doc.errors.length > 0) throw new Error(`${shownAs} is not valid YAML: ${doc.errors[0].message}`);
  return doc;
}

/** The text an edited spec document is written as (long lines are not folded). */
export function specDocumentText(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}

/** Writes an edited spec document whole or not at all (temporary file, then rename). Validate it first. */
export function writeSpecDocument(file: string, doc: Document): void {
  writeFileAtomic(file, specDocumentText(doc));
}
