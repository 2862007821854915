import * as fs from "fs";
import * as path from "path";
import { parseEnvironment, SpecError } from "../../envspec";

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
  return {
    file,
    text,
    problems: (candidate) => {
      try {
        parseEnvironment(candidate, file);
      } catch (e) {
        if (e instanceof SpecError) return e.message;
        throw e;
      }
      throw new Error("the spec was accepted");
    },
    edit: (from, to) => {
      if (!text.includes(from)) throw new Error(`"${from}" is not in the example`);
      return text.replace(from, to);
    },
  };
}
