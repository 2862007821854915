import { parseEnvironment, SpecError } from "../../envspec";

/** The problems (`file:line:col path: message` lines) of a spec the loader refuses; throws when it accepts it. */
export function specProblems(text: string, file: string): string {
  try {
    parseEnvironment(text, file);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error("the spec was accepted");
}

/** An editor of `example`: the example with `from` replaced by `to` (which must occur in it). */
export function exampleEditor(example: string): (from: string, to: string) => string {
  return (from, to) => {
    if (!example.includes(from)) throw new Error(`"${from}" is not in the example`);
    return example.replace(from, to);
  };
}
