import type { SpecIssue, SpecPath } from "./spec-issue";

/**
 * Text that cdktf itself would turn into a reference, whatever the constructs escape. Every string
 * of a spec is literal text: the constructs escape Terraform's `${` and `%{` (docs/environment-spec.md,
 * "Literal text"), but cdktf replaces its own token markers before Terraform sees anything, and no
 * escape exists for them. A spec can never mean either, so both are refused here:
 *
 * - a token marker (`${TfToken[TOKEN.12]}`, or the list and map forms `#{…}`, `&{…}`): cdktf would
 *   put the value of token 12 (possibly a secret, such as an API token) where the text stands;
 * - a number that is an encoded number token (such as `-8.109562212591379e+298`): cdktf reads
 *   such a number back as the token it encodes.
 */
export function literalTextChecks(raw: unknown): SpecIssue[] {
  const issues: SpecIssue[] = [];
  // Iterative walk with parent links (a path is built only for a problem): the spec's nesting
  // depth is the attacker's choice.
  type Node = { readonly value: unknown; readonly parent?: Node; readonly key?: string | number };
  const pathOf = (node: Node): SpecPath => {
    const path: (string | number)[] = [];
    for (let n: Node | undefined = node; n?.parent; n = n.parent) path.push(n.key!);
    return path.reverse();
  };
  const pending: Node[] = [{ value: raw }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const { value } = node;
    if (typeof value === "string") {
      const problem = literalTextProblem(value);
      if (problem) issues.push({ path: pathOf(node), message: problem, at: "value" });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => pending.push({ value: item, parent: node, key: i }));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const child = { value: item, parent: node, key };
        const problem = literalTextProblem(key);
        if (problem) issues.push({ path: pathOf(child), message: problem, at: "key" });
        pending.push(child);
      }
    }
  }
  return issues.reverse();
}

const TOKEN_MARKER = /[$#&]\{TfToken\[/;
/** cdktf's pattern of a number inside a string (tokens/private/encoding.ts, NUMBER_TOKEN_REGEX). */
const NUMBER_IN_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/**
 * Whether `n` has the bit pattern cdktf gives a number token (tokens/private/encoding.ts,
 * createTokenDouble): the upper 16 bits of the IEEE 754 double are 0xfdff (a number) or 0xfbff
 * (a number list).
 */
function isEncodedNumberToken(n: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const top = view.getUint16(0);
  return top === 0xfdff || top === 0xfbff;
}

/** Why `text` cannot be literal text in the synthesised JSON, or undefined when it can. */
export function literalTextProblem(text: string): string | undefined {
  const marker = TOKEN_MARKER.exec(text);
  if (marker) {
    return `contains "${marker[0]}", cdktf's token marker, which would be replaced by a reference instead of being kept as text; remove it`;
  }
  for (const m of text.matchAll(NUMBER_IN_TEXT)) {
    if (isEncodedNumberToken(parseFloat(m[0]))) {
      return `contains the number ${JSON.stringify(m[0])}, which cdktf would read as an encoded reference instead of text; write it another way`;
    }
  }
  return undefined;
}
