import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkCandidate } from "../../ai/candidate-check";
import { checkDraftPolicy } from "../../ai/policy-gate";
import { defaultPromptsDir, loadPromptFile, loadPrompts, renderPrompt } from "../../ai/prompt-library";
import type { SiteFacts } from "../../ai/site-facts";

const DIR = defaultPromptsDir();

/** A copy of prompts/ to break. */
function promptsCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prompts-"));
  for (const f of fs.readdirSync(DIR)) fs.copyFileSync(path.join(DIR, f), path.join(dir, f));
  return dir;
}

describe("prompt files", () => {
  it("carry a version header naming their own file", () => {
    // GIVEN every file in prompts/
    const files = fs.readdirSync(DIR).sort();
    expect(files).toEqual([
      "examples.yaml",
      "explain-beginner.md",
      "explain-expert.md",
      "explain-intermediate.md",
      "repair.md",
      "request.md",
      "schema-guide.md",
      "system.md",
    ]);

    // THEN each markdown prompt has id = file name and a version; the set's version lists them
    for (const f of files.filter((x) => x.endsWith(".md"))) {
      const p = loadPromptFile(path.join(DIR, f));
      expect([p.id, p.version >= 1, p.text.startsWith("---")]).toEqual([f.replace(".md", ""), true, false]);
    }
    expect(loadPrompts().version).toMatch(/^system@\d+ schema-guide@\d+ request@\d+ repair@\d+ examples@\d+ \(sha256:[0-9a-f]{12}\)$/);
  });

  it("has few-shot examples that pass every gate a draft must pass", () => {
    // GIVEN the examples with the facts they were drafted with
    const { examples } = loadPrompts();
    const facts = { source: "prompts/examples.yaml", ...examples.facts } as unknown as SiteFacts;

    // THEN each example spec is valid, site-consistent and free of error findings
    for (const ex of examples.examples) {
      const verdict = checkCandidate(JSON.stringify(ex.spec), { facts, policyGate: checkDraftPolicy });
      expect([ex.request, verdict.ok ? "ok" : verdict.problems]).toEqual([ex.request, "ok"]);
    }
  });

  it("changes the recorded version when a prompt's text changes", () => {
    // GIVEN a copy of the prompts with one word of the system prompt changed
    const dir = promptsCopy();
    const before = loadPrompts(dir).version;
    const file = path.join(dir, "system.md");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("hardened", "secured"));

    // THEN the digest in the version differs
    expect(loadPrompts(dir).version).not.toBe(before);
  });

  it("refuses a prompt file without a version header, naming the file", () => {
    // GIVEN repair.md without its header
    const dir = promptsCopy();
    fs.writeFileSync(path.join(dir, "repair.md"), "Fix these: {{problems}}\n");

    // THEN loading names the file and the fix
    expect(() => loadPrompts(dir)).toThrow(`${path.join(dir, "repair.md")}: no version header`);
  });

  it("refuses a template that lost its placeholder", () => {
    // GIVEN request.md without {{input}}
    const dir = promptsCopy();
    const file = path.join(dir, "request.md");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("{{input}}", ""));

    // THEN loading fails naming the placeholder
    expect(() => loadPrompts(dir)).toThrow("the template needs the placeholder {{input}}");
  });

  it("fills placeholders in one pass, leaving placeholders inside values literal", () => {
    // GIVEN the repair prompt and a problem text that contains a placeholder
    const { repair } = loadPrompts();

    // WHEN rendering
    const text = renderPrompt(repair, { problems: "- name: got {{problems}}" });

    // THEN the inserted text is not expanded again
    expect(text).toContain("- name: got {{problems}}");
    expect(text.match(/\{\{problems\}\}/g)).toHaveLength(1);
  });
});
