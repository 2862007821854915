/**
 * Building blocks of the hostile spec corpus: a mutation edits the text of a shipped environment
 * and states, independently of the loader, where the problem it plants is (an offset into the
 * edited text) and what the loader must say there — or, for input the spec accepts, what it means.
 */

/** A shipped environment: `environments/<name>.yaml`. */
export interface BaseSpec {
  readonly name: "dev" | "staging" | "prod";
  readonly text: string;
}

/** A problem the loader must report: at `offset` of the mutated text, a message containing `text`. */
export interface PlantedProblem {
  readonly offset: number;
  /** `<path>: <message fragment>` (or just the fragment for document-level problems). */
  readonly text: string;
  /** The problem is at the very start of the file (an empty document), before the header too. */
  readonly fileStart?: boolean;
}

/** What an accepted spec means: the loaded value at `path` (e.g. `tiers.web.count`). */
export interface Meaning {
  readonly path: string;
  readonly value: unknown;
}

/** One hostile spec, before its header is written. */
export interface HostileCase {
  /** File name without `.yaml`: `<base>-<mutation id>`. */
  readonly id: string;
  /** One line saying what the case is. */
  readonly about: string;
  readonly body: string;
  readonly problems?: readonly PlantedProblem[];
  readonly means?: readonly Meaning[];
  /** Write the body with CR-only line ends (the header keeps LF, so the test can read it). */
  readonly crOnly?: boolean;
  /** Start the file with a byte order mark. */
  readonly bom?: boolean;
}

/** A mutation: undefined when it does not apply to this base (e.g. static pools exist only in prod). */
export type Mutation = (base: BaseSpec) => Omit<HostileCase, "id"> | undefined;

/** A named mutation. */
export interface NamedMutation {
  readonly id: string;
  readonly mutate: Mutation;
}

/** The result of an edit: the new text and the offset of `mark` inside the inserted text. */
export interface Edit {
  readonly text: string;
  readonly offset: number;
}

/**
 * Replaces the first `find` in `text` by `replacement`; `mark` (default: the start of the
 * replacement) is the part of the replacement the problem is at. Throws when `find` is absent, so
 * a change to a shipped spec cannot silently turn a case into a no-op.
 */
export function replace(text: string, find: string, replacement: string, mark?: string): Edit {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`hostile corpus: ${JSON.stringify(find)} is not in the base spec`);
  const inner = mark === undefined ? 0 : replacement.indexOf(mark);
  if (inner < 0) throw new Error(`hostile corpus: mark ${JSON.stringify(mark)} is not in ${JSON.stringify(replacement)}`);
  return { text: text.slice(0, at) + replacement + text.slice(at + find.length), offset: at + inner };
}

/** Inserts `insertion` right after the first `anchor`; the problem is at `mark` inside the insertion (default: its start). */
export function insertAfter(text: string, anchor: string, insertion: string, mark?: string): Edit {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`hostile corpus: ${JSON.stringify(anchor)} is not in the base spec`);
  const inner = mark === undefined ? 0 : insertion.indexOf(mark);
  if (inner < 0) throw new Error(`hostile corpus: mark ${JSON.stringify(mark)} is not in ${JSON.stringify(insertion)}`);
  const end = at + anchor.length;
  return { text: text.slice(0, end) + insertion + text.slice(end), offset: end + inner };
}

/** A case whose edit plants one problem. */
export function refused(about: string, edit: Edit, text: string): Omit<HostileCase, "id"> {
  return { about, body: edit.text, problems: [{ offset: edit.offset, text }] };
}

/** A case the spec accepts, with what it means. */
export function accepted(about: string, body: string, ...means: Meaning[]): Omit<HostileCase, "id"> {
  return { about, body, means };
}

/** Line and column (1-based) of `offset` in `text`, counting LF, CRLF and lone CR as line ends. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}
