import * as fs from "fs";
import { Document, parseDocument } from "yaml";
import { writeFileAtomic } from "./atomic-write";

/**
 * A YAML file as an editable `yaml` Document: edits through its API keep the file's comments and
 * layout. Throws, naming the file and the first problem, when the text is not valid YAML.
 */
export function readYamlDocument(file: string, text: string = fs.readFileSync(file, "utf8")): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
  return doc;
}

/** The text of an edited document, as {@link writeYamlDocument} writes it (long lines stay whole). */
export function yamlDocumentText(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}

/** Writes an edited document atomically (temp file + rename: never a partial file), keeping an existing file's mode. */
export function writeYamlDocument(file: string, doc: Document): void {
  const mode = fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : undefined;
  writeFileAtomic(file, yamlDocumentText(doc), mode);
}
