import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, visit, YAMLError } from "yaml";
import { SpecError, SpecProblem } from "./spec-error";
import { formatPath, SpecPath } from "./spec-issue";

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

/**
 * Parses one YAML 1.2 document strictly: syntax errors, duplicate keys, unknown tags, unresolved
 * aliases and multiple documents are all errors, thrown together as a {@link SpecError}.
 */
export function readYaml(text: string, fileName: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true, version: "1.2" });
  const problem = (offset: number, path: SpecPath, message: string): SpecProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: fileName, line, col, path: path.length === 0 ? "" : formatPath(path), message };
  };
  const errors = [...doc.errors, ...doc.warnings];
  // After a syntax error the parser's recovery can invent duplicate keys that are not in the text.
  const recovered = errors.some((e) => e.code !== "DUPLICATE_KEY");
  const problems = errors
    .filter((e) => !(recovered && e.code === "DUPLICATE_KEY" && keyPathAt(doc, e.pos[0]) === undefined))
    .map((error) => yamlProblem(doc, error, problem));
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) problems.push(problem(alias.range?.[0] ?? 0, [], `unknown alias *${alias.source}: no anchor &${alias.source} before it`));
    },
  });
  if (problems.length > 0) throw new SpecError(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new SpecError([problem(0, [], `cannot read the document: ${(e as Error).message}`)]);
  }
  const position = (node: Node | null | undefined): SourcePosition => lineCounter.linePos(node?.range?.[0] ?? 0);
  return { data, locate: (path, at) => position(nodeAt(doc, path, at)) };
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
      if (pair === undefined) return viaKey ?? (node as Node);
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
