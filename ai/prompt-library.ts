import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Audience of `draft --explain`. */
export type ExplainLevel = "beginner" | "intermediate" | "expert";

/** Every explanation level, simplest first. */
export const EXPLAIN_LEVELS: readonly ExplainLevel[] = ["beginner", "intermediate", "expert"];

/** One versioned prompt text from `prompts/<id>.md`. */
export interface PromptFile {
  /** Id from the header; equal to the file name without extension. */
  readonly id: string;
  /** Version from the header; bump it whenever the text changes meaning. */
  readonly version: number;
  /** Path of the file. */
  readonly file: string;
  /** The text after the header. */
  readonly text: string;
}

/** One few-shot example: a request and the spec a careful engineer writes for it. */
export interface FewShotExample {
  readonly request: string;
  readonly spec: Readonly<Record<string, unknown>>;
}

/** `prompts/examples.yaml`: the few-shot examples and the site facts they were drafted with. */
export interface FewShotSet {
  readonly id: "examples";
  readonly version: number;
  readonly file: string;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly examples: readonly FewShotExample[];
}

/** Every prompt the AI helper uses, loaded from `prompts/`. */
export interface PromptSet {
  readonly system: PromptFile;
  readonly schemaGuide: PromptFile;
  readonly request: PromptFile;
  readonly repair: PromptFile;
  readonly examples: FewShotSet;
  readonly explain: Readonly<Record<ExplainLevel, PromptFile>>;
  /**
   * What a draft records about its prompts: each drafting prompt's id@version and a digest of their
   * text, e.g. `system@1 schema-guide@1 request@1 repair@1 examples@1 (sha256:0123abcd4567)`.
   */
  readonly version: string;
}

/** `prompts/` of this package, from source (`ai/`) or from the build output (`dist/ai/`). */
export function defaultPromptsDir(): string {
  const candidates = [path.join(__dirname, "..", "prompts"), path.join(__dirname, "..", "..", "prompts")];
  return candidates.find((d) => fs.existsSync(path.join(d, "system.md"))) ?? candidates[0];
}

/**
 * Loads and checks every prompt file. A missing file, a missing or wrong header, or a
 * placeholder a template needs but lacks is an error naming the file and the fix.
 */
export function loadPrompts(dir: string = defaultPromptsDir()): PromptSet {
  const md = (id: string, placeholders: readonly string[] = []) => {
    const prompt = loadPromptFile(path.join(dir, `${id}.md`));
    for (const p of placeholders) {
      if (!prompt.text.includes(`{{${p}}}`)) throw new Error(`${prompt.file}: the template needs the placeholder {{${p}}}; add it where the value belongs.`);
    }
    return prompt;
  };
  const system = md("system");
  const schemaGuide = md("schema-guide");
  const request = md("request", ["input"]);
  const repair = md("repair", ["problems"]);
  const examples = loadExamples(path.join(dir, "examples.yaml"));
  const explain = Object.fromEntries(EXPLAIN_LEVELS.map((level) => [level, md(`explain-${level}`)])) as Record<ExplainLevel, PromptFile>;
  const drafting = [system, schemaGuide, request, repair];
  const digest = createHash("sha256");
  for (const p of drafting) digest.update(`${p.id}\0${p.text}\0`);
  digest.update(fs.readFileSync(examples.file));
  const ids = [...drafting.map((p) => `${p.id}@${p.version}`), `examples@${examples.version}`].join(" ");
  return { system, schemaGuide, request, repair, examples, explain, version: `${ids} (sha256:${digest.digest("hex").slice(0, 12)})` };
}

/**
 * Reads one prompt file: a YAML header between `---` lines with `prompt: <id>` (the file name)
 * and `version: <n>`, then the text.
 */
export function loadPromptFile(file: string): PromptFile {
  const raw = readPromptText(file);
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(raw.replace(/\r\n/g, "\n"));
  if (!match) throw new Error(`${file}: no version header; start the file with "---", "prompt: <id>", "version: <n>", "---".`);
  const header = parse(match[1]) as Record<string, unknown> | null;
  const id = path.basename(file).replace(/\.[^.]+$/, "");
  checkHeader(file, id, header);
  return { id, version: header!.version as number, file, text: match[2].trim() };
}

function loadExamples(file: string): FewShotSet {
  const data = parse(readPromptText(file)) as Record<string, unknown> | null;
  checkHeader(file, "examples", data);
  const examples = data!.examples;
  if (!Array.isArray(examples) || examples.length === 0) throw new Error(`${file}: "examples" must be a non-empty list of { request, spec }.`);
  examples.forEach((e: unknown, i) => {
    const ok =
      typeof e === "object" && e !== null && "request" in e && typeof e.request === "string" && "spec" in e && typeof e.spec === "object" && e.spec !== null;
    if (!ok) throw new Error(`${file}: examples[${i}] must have a "request" text and a "spec" mapping.`);
  });
  if (typeof data!.facts !== "object" || data!.facts === null) throw new Error(`${file}: "facts" (the site facts of the examples) is missing.`);
  return {
    id: "examples",
    version: data!.version as number,
    file,
    facts: data!.facts as Record<string, unknown>,
    examples: examples as FewShotExample[],
  };
}

function checkHeader(file: string, id: string, header: Record<string, unknown> | null): void {
  if (header?.prompt !== id) throw new Error(`${file}: header "prompt" must be "${id}" (the file name), got ${JSON.stringify(header?.prompt)}.`);
  const v = header.version;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new Error(`${file}: header "version" must be a whole number ≥ 1, got ${JSON.stringify(v)}.`);
}

function readPromptText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the prompt file ${file}: ${(e as Error).message}. The prompts ship in prompts/ next to ai/.`);
  }
}

/**
 * Fills `{{name}}` placeholders in one pass: text inserted for one placeholder is never scanned
 * again, so a value containing `{{problems}}` stays literal. An unknown placeholder is an error.
 */
export function renderPrompt(prompt: PromptFile, values: Readonly<Record<string, string>>): string {
  return prompt.text.replace(/\{\{([a-z-]+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`${prompt.file}: no value for the placeholder {{${name}}}.`);
    return values[name];
  });
}
