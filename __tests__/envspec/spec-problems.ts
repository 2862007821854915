import { parseEnvironment, SpecError } from "../../envspec";

/** A spec's problems (`file:line:col path: message` lines); throws when the spec is accepted. */
export function specProblems(text: string, file: string): string {
  try {
    parseEnvironment(text, file);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error("the spec was accepted");
}
