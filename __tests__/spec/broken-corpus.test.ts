import * as fs from "fs";
import * as path from "path";
import { parseEnvironment, SpecError } from "../../spec";

/**
 * Data-driven: every file in broken/ is an invalid spec whose first lines state, as
 * `# expect: <line>:<col> <text>`, every problem the loader must report, in file order. The text
 * must occur in `<path>: <message>` of the problem at exactly that position.
 */
const BROKEN = path.join(__dirname, "broken");
const files = fs.readdirSync(BROKEN).filter((f) => f.endsWith(".yaml")).sort();

interface Expectation {
  readonly position: string;
  readonly text: string;
}

function expectationsOf(source: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of source.split("\n")) {
    const m = /^# expect: (\d+:\d+) (.+)$/.exec(line);
    if (!m) break;
    out.push({ position: m[1], text: m[2] });
  }
  return out;
}

function problemsOf(source: string, fileName: string): SpecError {
  try {
    parseEnvironment(source, fileName);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`${fileName} was accepted, but it is in the broken corpus`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("broken spec corpus", () => {
  it("holds at least 60 cases", () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  it.each(files)("rejects %s with exactly the expected problems and positions", (file) => {
    // GIVEN a broken spec and the problems its header promises
    const source = fs.readFileSync(path.join(BROKEN, file), "utf8");
    const expected = expectationsOf(source);
    expect(expected.length).toBeGreaterThan(0);
    const fileName = `environments/${file}`;

    // WHEN it is parsed
    const error = problemsOf(source, fileName);

    // THEN every problem is reported at its position, and nothing else is
    const actual = error.problems.map((p) => `${p.line}:${p.col} ${p.path === "" ? "" : `${p.path}: `}${p.message}`);
    expect(actual).toEqual(expected.map((e) => expect.stringMatching(new RegExp(`^${escapeRegExp(e.position)} .*${escapeRegExp(e.text)}`))));
    expect(error.problems.every((p) => p.file === fileName)).toBe(true);
  });
});
