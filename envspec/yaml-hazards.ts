import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Scalar, Schema, visit } from "yaml";
import { FORBIDDEN_KEYS, forbiddenKeyMessage } from "./forbidden-keys";
import type { SpecPath } from "./spec-issue";

/** One hazard found in a parsed YAML document, at the source offset of the node. */
export interface YamlHazard {
  readonly offset: number;
  readonly path: SpecPath;
  readonly message: string;
}

const YAML_1_1 = new Schema({ schema: "yaml-1.1" });

/**
 * What a YAML 1.1 reader makes of a plain scalar, using the yaml library's own 1.1 schema (the
 * first default tag whose pattern matches, as its composer does).
 */
function yaml11Reading(source: string): unknown {
  for (const tag of YAML_1_1.tags) {
    if (tag.default !== true || !("test" in tag) || tag.test === undefined || !tag.test.test(source)) continue;
    const value = tag.resolve(source, () => undefined, {});
    return isScalar(value) ? value.value : value;
  }
  return source;
}

function kind(value: unknown): string {
  if (value instanceof Date) return `a timestamp (${value.toISOString()})`;
  if (value === null) return "null";
  if (typeof value === "string") return "text";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return `the number ${value}`;
  return typeof value;
}

/** How to write a value so that YAML 1.1 and 1.2 agree, for the message. */
function fix(source: string, v12: unknown, v11: unknown): string {
  if (typeof v11 === "boolean" && typeof v12 === "string") return `write true or false, or quote it ("${source}") if you mean text`;
  if (typeof v12 === "number" && typeof v11 === "number") return `write the plain decimal number ${v12} (without leading zeros or "_")`;
  if (typeof v12 === "number") return `write the number without exponent or other YAML 1.1-only form, or quote it ("${source}") if you mean text`;
  return `quote it ("${source}") if you mean text`;
}

/**
 * Why a plain (unquoted) scalar means something else to a YAML 1.1 reader than in YAML 1.2 core
 * (`yes`, `on`, `017`, `1_0`, `22:00`, `2001-12-14`, `0b101`), or undefined when both agree. The spec
 * must mean one thing to every tool that reads it.
 */
function yaml11Difference(scalar: Scalar): string | undefined {
  // A quoted or explicitly tagged (`!!str yes`) scalar means the same to every reader.
  if (scalar.type !== Scalar.PLAIN || scalar.tag !== undefined || typeof scalar.source !== "string") return undefined;
  const source = scalar.source;
  const v11 = yaml11Reading(source);
  const v12 = scalar.value;
  const same = v11 instanceof Date ? false : Object.is(v11, v12);
  if (same) return undefined;
  return `${source} is ${kind(v12)} in YAML 1.2 but ${kind(v11)} in YAML 1.1; the spec refuses forms that the two read differently: ${fix(source, v12, v11)}`;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * Walks every node of a parsed document (iteratively: depth was bounded by the reader, but a walk
 * should not depend on it) and reports what the spec refuses although YAML 1.2 allows it:
 * keys that name object internals, keys that are not text, `<<` merge keys, and plain scalars that
 * a YAML 1.1 reader would read differently.
 */
export function findYamlHazards(doc: Document): YamlHazard[] {
  const hazards: YamlHazard[] = [];
  const at = (node: Node | null | undefined, path: SpecPath, message: string) => hazards.push({ offset: node?.range?.[0] ?? 0, path, message });
  const pending: { node: unknown; path: SpecPath }[] = [{ node: doc.contents, path: [] }];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        const keyPath = [...path, keyText(key)];
        if (isAlias(key) || !isScalar(key)) {
          at(key as Node, path, "a key must be plain text, not a list, mapping or alias; write the key out");
        } else if (key.type === Scalar.PLAIN && key.source === "<<") {
          at(key, keyPath, "merge keys (<<) are YAML 1.1, not part of YAML 1.2 core; write the keys out in this mapping");
        } else if (typeof key.value !== "string") {
          at(key, keyPath, `a key must be text; ${key.source ?? String(key.value)} is read as ${kind(key.value)}: quote it if you mean text`);
        } else if (FORBIDDEN_KEYS.has(key.value)) {
          at(key, keyPath, forbiddenKeyMessage(key.value));
        } else {
          const difference = yaml11Difference(key);
          if (difference !== undefined) at(key, keyPath, difference);
        }
        pending.push({ node: pair.value, path: keyPath });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => pending.push({ node: item, path: [...path, i] }));
    } else if (isScalar(node)) {
      const difference = yaml11Difference(node);
      if (difference !== undefined) at(node, path, difference);
    }
  }
  return hazards;
}

/**
 * Quotes every plain string scalar of `doc` that a YAML 1.1 reader would read as something else
 * (`2026-12-01`, `02:00`, `yes`), so a document written by the tool passes {@link findYamlHazards}.
 */
export function quoteYaml11Hazards(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "string" || node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) return;
      const v11 = yaml11Reading(node.value);
      if (v11 instanceof Date || !Object.is(v11, node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}
