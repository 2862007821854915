import { templateSequences } from "../../constructs/literal-text";

/** A template sequence in synthesised JSON that no token of ours produced. */
export interface StrayTemplate {
  /** JSON path of the string, e.g. `resource.proxmox_download_file.x.url`. */
  readonly path: string;
  /** The sequence and what follows it (up to its closing brace). */
  readonly sequence: string;
}

/**
 * Functions that tokens of our constructs render (`Fn.element` over a VM's reported addresses).
 * A construct that starts using another `Fn.*` adds its name here.
 */
const TOKEN_FUNCTIONS = new Set(["element"]);

/**
 * Every `${…}` or `%{…}` Terraform would evaluate in a synthesised configuration that is not what a
 * cdktf token renders. Our tokens render exactly two shapes: a reference to an element defined in
 * the same configuration (`${proxmox_virtual_environment_vm.web.vm_id}`) and a function from
 * {@link TOKEN_FUNCTIONS} over references and numbers. Anything else — a directive, a string
 * literal, a function such as `file`, a `var.` or `path.` the configuration does not define — came
 * from literal text. The `//` metadata blocks (comments to Terraform) are skipped.
 */
export function strayTemplateSequences(json: Record<string, unknown>): StrayTemplate[] {
  const addresses = definedAddresses(json);
  const stray: StrayTemplate[] = [];
  const check = (text: string, path: string) => {
    for (const at of templateSequences(text)) {
      const end = closingBrace(text, at + 2);
      const sequence = text.slice(at, end + 1);
      if (text[at] === "%" || !isTokenExpression(text.slice(at + 2, end), addresses)) stray.push({ path, sequence });
    }
  };
  const pending: { value: unknown; path: string }[] = [{ value: json, path: "" }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === "string") check(value, path);
    else if (Array.isArray(value)) value.forEach((v, i) => pending.push({ value: v, path: `${path}[${i}]` }));
    else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (key === "//") continue;
        const at = path ? `${path}.${key}` : key;
        check(key, at);
        pending.push({ value: v, path: at });
      }
    }
  }
  return stray;
}

/** Every string value of a configuration as Terraform hands it to the provider (escapes undone). */
export function literalStrings(json: unknown): string[] {
  const out: string[] = [];
  const pending: unknown[] = [json];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") out.push(value.replace(/([$%])\1\{/g, "$1{"));
    else if (Array.isArray(value)) pending.push(...value);
    else if (value !== null && typeof value === "object") pending.push(...Object.values(value));
  }
  return out;
}

function definedAddresses(json: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const blocks = (key: string) => (json[key] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [type, byName] of Object.entries(blocks("resource"))) for (const name of Object.keys(byName)) out.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(blocks("data"))) for (const name of Object.keys(byName)) out.add(`data.${type}.${name}`);
  for (const name of Object.keys(blocks("variable"))) out.add(`var.${name}`);
  for (const name of Object.keys(blocks("locals"))) out.add(`local.${name}`);
  return out;
}

/** Index of the `}` closing the sequence whose body starts at `from` (nested braces counted). */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && depth-- === 0) return i;
  }
  return text.length;
}

/** Whether `expr` is a reference to a defined element, or a token function over such and numbers. */
function isTokenExpression(expr: string, addresses: ReadonlySet<string>): boolean {
  const tokens = expr.match(/[A-Za-z_][A-Za-z0-9_-]*|\d+|[.,()[\]]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const isName = (t: string | undefined) => t !== undefined && /^[A-Za-z_]/.test(t);
  const expression = (): boolean => {
    const head = tokens[i++];
    if (head === undefined) return false;
    if (/^\d+$/.test(head)) return true;
    if (!isName(head)) return false;
    if (peek() === "(") {
      i++;
      if (!TOKEN_FUNCTIONS.has(head)) return false;
      for (;;) {
        if (!expression()) return false;
        const sep = tokens[i++];
        if (sep === ")") return true;
        if (sep !== ",") return false;
      }
    }
    // A reference: the first two or three names are the element's address, the rest attributes/indexes.
    const parts = [head];
    while (peek() === "." || peek() === "[") {
      if (tokens[i++] === ".") {
        if (!isName(peek())) return false;
        parts.push(tokens[i++]);
      } else if (!/^\d+$/.test(tokens[i++] ?? "") || tokens[i++] !== "]") return false;
    }
    const address = parts.slice(0, head === "data" ? 3 : 2).join(".");
    return addresses.has(address);
  };
  return expression() && i === tokens.length;
}
