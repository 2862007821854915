import * as fs from "fs";
import * as path from "path";
import { hostileCorpus } from "../../scripts/generate-hostile-specs";
import { parseEnvironment, SpecError } from "../../envspec";
import { corpusFiles, headerOf, INTERNAL_ERROR_TEXT, valueAt } from "./corpus-header";

/**
 * Data-driven, over two folders read the same way:
 * - broken/: hand-written invalid specs;
 * - hostile/: mutations of the shipped environments, written by scripts/generate-hostile-specs.ts.
 * A file's first lines state either, as `# expect: <line>:<col> <text>`, every problem the loader
 * must report, in file order (the text must occur in `<path>: <message>` of the problem at exactly
 * that position), or, as `# means: <path> = <JSON>`, what an accepted spec loads as.
 */
const files = corpusFiles();
const refusedFiles = files.filter((f) => headerOf(f.text).expect.length > 0);
const acceptedFiles = files.filter((f) => headerOf(f.text).means.length > 0);

function problemsOf(source: string, fileName: string): SpecError {
  try {
    parseEnvironment(source, fileName);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`${fileName} was accepted, but its header expects problems`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("broken and hostile spec corpus", () => {
  it("holds at least 60 hand-written and 300 generated hostile cases, each with a header", () => {
    expect(files.filter((f) => f.folder === "broken").length).toBeGreaterThanOrEqual(60);
    expect(files.filter((f) => f.folder === "hostile").length).toBeGreaterThanOrEqual(300);
    expect(files.filter((f) => !refusedFiles.includes(f) && !acceptedFiles.includes(f)).map((f) => f.name)).toEqual([]);
    expect(refusedFiles.filter((f) => acceptedFiles.includes(f)).map((f) => f.name)).toEqual([]);
  });

  it("is what scripts/generate-hostile-specs.ts writes from the shipped environments (run it after changing either)", () => {
    const committed = new Map(files.filter((f) => f.folder === "hostile").map((f) => [f.name, f.text]));
    const generated = hostileCorpus();
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect({ name, text: committed.get(name) }).toEqual({ name, text });
  });

  it.each(refusedFiles.map((f) => [`${f.folder}/${f.name}`, f] as const))("rejects %s with exactly the expected problems and positions", (_name, file) => {
    // GIVEN a broken spec and the problems its header promises
    const expected = headerOf(file.text).expect;
    const fileName = `environments/${file.name}`;

    // WHEN it is parsed
    const error = problemsOf(file.text, fileName);

    // THEN every problem is reported at its position, and nothing else is
    const actual = error.problems.map((p) => `${p.line}:${p.col} ${p.path === "" ? "" : `${p.path}: `}${p.message}`);
    expect(actual).toEqual(expected.map((e) => expect.stringMatching(new RegExp(`^${escapeRegExp(e.position)} .*${escapeRegExp(e.text)}`))));
    expect(error.problems.every((p) => p.file === fileName)).toBe(true);
    // AND no message is an internal error leaking out
    expect(error.message).not.toMatch(INTERNAL_ERROR_TEXT);
  });

  it.each(acceptedFiles.map((f) => [`${f.folder}/${f.name}`, f] as const))("accepts %s with the documented meaning", (_name, file) => {
    // GIVEN a hostile-looking spec whose header documents what it means
    const { means } = headerOf(file.text);

    // WHEN it is parsed
    const spec = parseEnvironment(file.text, `environments/${file.name}`);

    // THEN each value is exactly the documented one
    for (const m of means) expect({ path: m.path, value: valueAt(spec, m.path) }).toEqual({ path: m.path, value: m.value });
  });
});

describe("corpus files", () => {
  it("are read from both folders", () => {
    expect(new Set(files.map((f) => f.folder))).toEqual(new Set(["broken", "hostile"]));
    expect(fs.existsSync(path.join(__dirname, "hostile"))).toBe(true);
  });
});
