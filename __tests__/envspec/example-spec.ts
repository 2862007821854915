import * as fs from "fs";
import * as path from "path";
import { exampleEditor, specProblems } from "./spec-problems";

/** An example spec of this folder, loaded as if it were `file`, with helpers to break it. */
export interface ExampleSpec {
  readonly file: string;
  readonly text: string;
  /** The problems of `text` (`file:line:col path: message` lines); throws when it is accepted. */
  readonly problems: (text: string) => string;
  /** The example with `from` replaced by `to` (which must occur in it). */
  readonly edit: (from: string, to: string) => string;
}

/** Loads `__tests__/envspec/<example>` as the spec file `file`. */
export function exampleSpec(example: string, file: string): ExampleSpec {
  const text = fs.readFileSync(path.join(__dirname, example), "utf8");
  return { file, text, problems: (candidate) => specProblems(candidate, file), edit: exampleEditor(text) };
}
