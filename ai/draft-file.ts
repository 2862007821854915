import * as fs from "fs";
import * as path from "path";
import { Document } from "yaml";
import { quoteYaml11Hazards } from "../envspec/yaml-hazards";
import { writeFileAtomic } from "../io/atomic-write";
import { EnvironmentSpec, parseEnvironment } from "../envspec";

/** What the header of a drafted file records. */
export interface DraftProvenance {
  /** Model name, e.g. `llama3.1:8b`. */
  readonly model: string;
  /** PromptSet.version. */
  readonly promptVersion: string;
  /** The user's request, verbatim (as comment lines). */
  readonly request: string;
  /** Where the site facts came from. */
  readonly factsSource: string;
  /** When it was drafted. @default now */
  readonly at?: Date;
}

/** A refusal to replace an existing environment file. */
export class DraftExistsError extends Error {}

/**
 * Makes text safe inside a YAML comment: every line break YAML or a terminal might honour becomes
 * a new `# ` line, and other control characters are dropped, so a request cannot end the comment
 * and add keys to the spec.
 */
export function commentLines(text: string): string[] {
  return (
    text
      .replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n")
      // eslint-disable-next-line no-control-regex -- removing control characters is the point: a comment line holds no terminal control
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")
      .split("\n")
      .map((line) => `#   ${line}`.trimEnd())
  );
}

/** The spec as YAML, under a header naming the tool, model, prompt version and request. */
export function renderDraft(spec: EnvironmentSpec, meta: DraftProvenance): string {
  const header = [
    `# Drafted by proxmox-cdk draft on ${(meta.at ?? new Date()).toISOString()}: review it before \`proxmox-cdk up ${spec.name}\`.`,
    `# model: ${meta.model}`,
    `# prompts: ${meta.promptVersion}`,
    `# site facts (nodes, images, login user and SSH keys) from: ${meta.factsSource}`,
    "# request:",
    ...commentLines(meta.request),
    "# Schema and every field: docs/environment-spec.md.",
  ];
  // Site facts carry dates (a key's `added`) that YAML 1.1 would read as timestamps: quoted.
  const doc = new Document(spec);
  quoteYaml11Hazards(doc);
  return `${header.join("\n")}\n${doc.toString({ lineWidth: 0 })}`;
}

/** `environments/<name>.yaml` of a project. */
export function draftPath(root: string, name: string): string {
  return path.join(root, "environments", `${name}.yaml`);
}

/** Throws {@link DraftExistsError} when the environment file exists and `force` is not set. */
export function assertWritable(root: string, name: string, force: boolean): void {
  const file = draftPath(root, name);
  if (!force && fs.existsSync(file)) {
    throw new DraftExistsError(
      `${path.relative(root, file)} already exists: nothing was written. Pass --force to replace it, or --name <other> to draft a new environment.`,
    );
  }
}

/**
 * Writes the drafted spec atomically after checking that the exact text written reads back as
 * the same valid spec (the header is comments only). Refuses to replace an existing file unless
 * `force`. Returns the path written.
 */
export function writeDraft(root: string, spec: EnvironmentSpec, text: string, force: boolean): string {
  const file = draftPath(root, spec.name);
  const reread = parseEnvironment(text, path.relative(root, file));
  if (JSON.stringify(reread) !== JSON.stringify(spec))
    throw new Error(`internal: the YAML of ${spec.name} does not read back as the validated spec; nothing was written.`);
  assertWritable(root, spec.name, force);
  writeFileAtomic(file, text);
  return file;
}
