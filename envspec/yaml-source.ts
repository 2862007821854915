import { Composer, CST, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Node, Parser, visit, YAMLError, YAMLParseError } from "yaml";
import { SpecError, SpecProblem } from "./spec-error";
import { formatPath, SpecPath } from "./spec-issue";
import { findYamlHazards } from "./yaml-hazards";

/** A position in a source file, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** A parsed YAML spec: its data, and where each path of it is written. */
export interface YamlSource {
  readonly data: unknown;
  /** Position of the value (or, with `at: "key"`, the key) at `path`; of its nearest written ancestor if absent. */
  locate(path: SpecPath, at: "key" | "value"): SourcePosition;
}

/** Aliases allowed per document; the yaml library's guard against "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 100;

/** Largest spec file read: the biggest valid spec is a few dozen KiB. */
export const MAX_SPEC_BYTES = 1_048_576;

/**
 * Deepest nesting of mappings and lists, the root mapping being the first: a spec needs 4 (root →
 * tiers → web → tags). The limit keeps a hostile file from exhausting the stack of the recursive parts of the parser.
 */
export const MAX_NESTING = 16;

/** Syntax tree tokens that open a mapping or list. */
const COLLECTIONS: ReadonlySet<string> = new Set(["block-map", "block-seq", "flow-collection"]);

const READ_OPTIONS = {
  version: "1.2",
  schema: "core",
  merge: false,
  uniqueKeys: true,
  strict: true,
} as const;

/**
 * Parses one YAML 1.2 core document strictly. Refused, each with its position, and thrown together
 * as a {@link SpecError}: a file over {@link MAX_SPEC_BYTES}, carriage returns used alone as line
 * ends, nesting deeper than {@link MAX_NESTING}, a `%YAML` directive other than 1.2, syntax errors,
 * duplicate keys, unknown tags, unresolved aliases, multiple documents, and what
 * {@link findYamlHazards} reports (object-internal keys, non-text keys, `<<` merges, YAML 1.1 forms).
 */
export function readYaml(text: string, fileName: string): YamlSource {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  const problem = (offset: number, path: SpecPath, message: string): SpecProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: fileName, line, col, path: path.length === 0 ? "" : formatPath(path), message };
  };
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_SPEC_BYTES) {
    throw new SpecError([problem(0, [], `the file has ${bytes} bytes, more than the ${MAX_SPEC_BYTES} an environment spec may have; is this the right file?`)]);
  }
  const lonelyCr = /\r(?!\n)/.exec(text);
  if (lonelyCr !== null) {
    const line = text.slice(0, lonelyCr.index).split("\n").length;
    const col = lonelyCr.index - text.lastIndexOf("\n", lonelyCr.index - 1);
    throw new SpecError([
      {
        file: fileName,
        line,
        col,
        path: "",
        message: "a carriage return (CR) alone ends this line; YAML readers disagree on that: save the file with LF (or CRLF) line endings",
      },
    ]);
  }
  const tokens = parseTokens(text, lineCounter, fileName);
  const directive = tokens.find((t): t is CST.Directive => t.type === "directive" && /^%YAML\b/.test(t.source) && !/^%YAML[ \t]+1\.2([ \t]|$)/.test(t.source));
  if (directive !== undefined) {
    throw new SpecError([problem(directive.offset, [], `${directive.source.trim()}: the spec is YAML 1.2 core; remove the directive or write %YAML 1.2`)]);
  }
  const doc = composeFirst(tokens, text.length);
  const errors = [...doc.errors, ...doc.warnings];
  // After a syntax error the parser's recovery can invent duplicate keys that are not in the text.
  const recovered = errors.some((e) => e.code !== "DUPLICATE_KEY");
  const problems = errors
    .filter((e) => !(recovered && e.code === "DUPLICATE_KEY" && keyPathAt(doc, e.pos[0]) === undefined))
    .map((error) => yamlProblem(doc, error, problem))
    // The parser's recovery from a syntax error often reports more errors on the same line; they
    // are consequences of the first and only bury it.
    .filter((p, i, all) => !(p.path === "" && all.slice(0, i).some((q) => q.path === "" && q.line === p.line)));
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined)
        problems.push(problem(alias.range?.[0] ?? 0, [], `unknown alias *${alias.source}: no anchor &${alias.source} before it`));
    },
  });
  if (!recovered) problems.push(...findYamlHazards(doc).map((h) => problem(h.offset, h.path, h.message)));
  if (problems.length > 0) throw new SpecError(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml library stops expanding aliases beyond the cap ("billion laughs"); anything else is unexpected.
    const aliases = /alias count/i.test((e as Error).message);
    const firstAlias = aliases ? firstAliasOffset(doc) : 0;
    const message = aliases
      ? `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses weighted by size); write the values out instead of nesting aliases`
      : `cannot read the document: ${(e as Error).message}`;
    throw new SpecError([problem(firstAlias, [], message)]);
  }
  const position = (node: Node | null | undefined): SourcePosition => lineCounter.linePos(node?.range?.[0] ?? 0);
  return { data, locate: (path, at) => position(nodeAt(doc, path, at)) };
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * The concrete syntax tree of `text`, built token by token so that nesting beyond
 * {@link MAX_NESTING} stops the parse at once (the tree builder itself is iterative).
 */
function parseTokens(text: string, lineCounter: LineCounter, fileName: string): CST.Token[] {
  const parser = new Parser(lineCounter.addNewLine);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length <= MAX_NESTING) continue;
    const collections = parser.stack.filter((t) => COLLECTIONS.has(t.type));
    if (collections.length > MAX_NESTING) {
      const { line, col } = lineCounter.linePos(collections[MAX_NESTING].offset);
      throw new SpecError([
        { file: fileName, line, col, path: "", message: `nesting deeper than ${MAX_NESTING} levels of mappings and lists; a spec needs 4` },
      ]);
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

/** The first document of the stream; a second one is an error on the first (as parseDocument does). */
function composeFirst(tokens: readonly CST.Token[], length: number): Document.Parsed {
  const composer = new Composer(READ_OPTIONS);
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (doc === undefined) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents; an environment spec is one document"),
      );
      break;
    }
  }
  return doc!;
}

function yamlProblem(doc: Document, error: YAMLError, problem: (offset: number, path: SpecPath, message: string) => SpecProblem): SpecProblem {
  const offset = error.pos[0];
  if (error.code === "DUPLICATE_KEY") {
    const path = keyPathAt(doc, offset) ?? [];
    const key = path.length > 0 ? ` "${path[path.length - 1]}"` : "";
    return problem(offset, path, `duplicate key${key}: a key may appear only once in a mapping (the later one would silently win)`);
  }
  // The library appends "at line L, column C:" and a code frame; the position is reported separately.
  const message = error.message.split(/ at line \d+, column \d+/)[0].trim();
  return problem(offset, [], `YAML ${error.code === "TAG_RESOLVE_FAILED" ? "tag" : "syntax"} error: ${message}`);
}

/** Path of the mapping key that starts at `offset`, if any. */
function keyPathAt(doc: Document, offset: number): SpecPath | undefined {
  const search = (node: unknown, path: SpecPath): SpecPath | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (isScalar(pair.key) && pair.key.range?.[0] === offset) return [...path, key];
        const found = search(pair.value, [...path, key]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = search(node.items[i], [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(doc.contents, []);
}

/**
 * The node written at `path`. A missing key resolves to the key of its parent mapping (the place
 * to add it); an empty value (`count:`) and a block mapping or list resolve to their key.
 */
function nodeAt(doc: Document, path: SpecPath, at: "key" | "value"): Node | null | undefined {
  let node: unknown = doc.contents;
  let viaKey: Node | undefined;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (pair === undefined) return viaKey ?? node;
      viaKey = pair.key as Node;
      if (i === path.length - 1 && at === "key") return viaKey;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      viaKey = undefined;
      node = node.items[segment];
    } else {
      return viaKey ?? (node as Node | null);
    }
  }
  // An empty value, or a block collection that starts on the next line, is best shown at its key.
  const empty = node === null || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);
  const block = (isMap(node) || isSeq(node)) && !node.flow;
  return (empty || block) && viaKey !== undefined ? viaKey : (node as Node | null);
}
