import * as fs from "fs";
import * as path from "path";

/** A corpus file: its folder under __tests__/envspec, name and text. */
export interface CorpusFile {
  readonly folder: "broken" | "hostile";
  readonly name: string;
  readonly text: string;
}

/** What a corpus file's header promises. */
export interface CorpusHeader {
  readonly expect: readonly { readonly position: string; readonly text: string }[];
  readonly means: readonly { readonly path: string; readonly value: unknown }[];
}

/**
 * Texts that only an internal failure produces: JavaScript errors, stack traces, values that
 * leaked unformatted. A user-facing message never contains them.
 */
export const INTERNAL_ERROR_TEXT =
  /Cannot read propert|Maximum call stack|\bundefined\b|TypeError|RangeError|ReferenceError|SyntaxError: |\n\s+at [\w.<>]+ \(|\[object Object\]|firstHost/;

/** Every corpus file, broken/ then hostile/, sorted by name. */
export function corpusFiles(): CorpusFile[] {
  return (["broken", "hostile"] as const).flatMap((folder) => {
    const dir = path.join(__dirname, folder);
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((name) => ({ folder, name, text: fs.readFileSync(path.join(dir, name), "utf8") }));
  });
}

/** The `# expect:` and `# means:` lines at the top of a file (after a byte order mark, whatever the line ends). */
export function headerOf(text: string): CorpusHeader {
  const expect: { position: string; text: string }[] = [];
  const means: { path: string; value: unknown }[] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/)) {
    const problem = /^# expect: (\d+:\d+) (.+)$/.exec(line);
    const meaning = /^# means: (\S+) = (.+)$/.exec(line);
    if (problem) expect.push({ position: problem[1], text: problem[2] });
    else if (meaning) means.push({ path: meaning[1], value: JSON.parse(meaning[2]) });
    else break;
  }
  return { expect, means };
}

/** The value at `tiers.web.tags[1]` of a loaded spec. */
export function valueAt(data: unknown, dotted: string): unknown {
  let value = data;
  for (const [, key, index] of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key ?? Number(index)];
  }
  return value;
}
