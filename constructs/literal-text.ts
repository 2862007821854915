import { IResolvable, IResolveContext, LazyBase, Token, Tokenization } from "cdktf";

/**
 * Literal text in the synthesised Terraform JSON.
 *
 * Terraform reads every JSON string as a template: `${…}` is evaluated (`${file("/etc/passwd")}`
 * reads a file of the machine running Terraform) and `%{…}` is a directive. cdktf passes literal
 * strings through as they are, so a spec value, a construct prop or a model's answer would become
 * code. Every construct therefore hands its provider resources their configuration through
 * {@link literalText}: the literal parts of every string get Terraform's escapes (`$${`, `%%{`) and
 * Terraform hands the provider the text as written. Tokens (references such as `vm.vmId`, `Fn.*`)
 * are left as they are and keep resolving to expressions; a lazy value's output is literal text too.
 *
 * cdktf's own `Fn.rawString` is no substitute: it escapes `${` but not `%{`, and it also rewrites
 * newlines and quotes as `\n` and `\"`, which changes the text outside an expression.
 */

/** cdktf's marker of a string token inside a string (`${TfToken[TOKEN.12]}`). */
const STRING_TOKEN_MARKER = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * Meta-arguments of a resource config (dependencies, provider, lifecycle, iteration): Terraform
 * references and constructs, not text, so {@link literalText} leaves them as they are.
 */
const META_ARGUMENTS = new Set(["dependsOn", "provider", "lifecycle", "count", "forEach", "provisioners", "connection"]);

/**
 * Escapes Terraform's template sequences in text that holds no token: `${` → `$${`, `%{` → `%%{`.
 * Terraform turns each back into the two characters, so the provider receives `text` unchanged.
 */
export function escapeTemplateText(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/**
 * The configuration of a provider resource (or any value headed for the synthesised JSON) with
 * every literal string escaped by {@link escapeTemplateText}: strings, list entries, nested blocks
 * and map keys. Tokens stay tokens; a lazy value is wrapped so that what it produces is escaped
 * when it is produced. Meta-arguments (`dependsOn`, `lifecycle`, …) of a top-level config object
 * are left alone.
 *
 * Apply it exactly once, where the value is handed to a provider binding (`new VirtualEnvironmentVm(
 * this, "vm", literalText({...}))`): escaping twice would turn `$${` into `$$${`, which Terraform
 * reads as the literal `$${`. Never pass its output to `Fn.*`, which escapes `${` itself.
 */
export function literalText<T>(config: T): T {
  if (isPlainObject(config)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) out[key] = META_ARGUMENTS.has(key) ? value : literalValue(value);
    return out as T;
  }
  return literalValue(config) as T;
}

/**
 * Offsets of the template sequences Terraform would evaluate in `text` as it stands in the
 * synthesised JSON: each `${` or `%{` that is not escaped (`$${`, `%%{`). Terraform reads the
 * template left to right, so `$$${` is a literal `$` followed by an escaped `${`.
 */
export function templateSequences(text: string): number[] {
  const found: number[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if (c !== "$" && c !== "%") continue;
    if (text[i + 1] === c && text[i + 2] === "{") i += 2;
    else if (text[i + 1] === "{") found.push(i++);
  }
  return found;
}

function literalValue(value: unknown): unknown {
  if (typeof value === "string") return literalString(value);
  if (Array.isArray(value)) {
    const listToken = value.length === 1 && typeof value[0] === "string" ? Tokenization.reverseList(value as string[]) : undefined;
    if (listToken) return listToken instanceof LazyBase ? Token.asList(new LiteralOutput(listToken)) : value;
    return value.map(literalValue);
  }
  if (Tokenization.isResolvable(value)) return value instanceof LazyBase ? new LiteralOutput(value) : value;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[literalString(key)] = literalValue(v);
    return out;
  }
  return value;
}

/** Escapes the literal parts of a string and keeps its tokens (a lazy string token is wrapped). */
function literalString(text: string): string {
  if (!text.includes("{")) return text;
  let out = "";
  let last = 0;
  for (const match of text.matchAll(STRING_TOKEN_MARKER)) {
    const token = Tokenization.reverseString(match[0]).firstToken;
    // cdktf throws on a marker of an unknown token; spec text with a marker is refused earlier.
    if (!token) continue;
    out += escapeTemplateText(text.slice(last, match.index)) + (token instanceof LazyBase ? Token.asString(new LiteralOutput(token)) : match[0]);
    last = match.index + match[0].length;
  }
  return out + escapeTemplateText(text.slice(last));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Tokenization.isResolvable(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A lazy value whose output is literal text: what it produces goes through {@link literalText}. */
class LiteralOutput implements IResolvable {
  readonly creationStack: string[];

  constructor(private readonly inner: IResolvable) {
    this.creationStack = inner.creationStack;
  }

  resolve(context: IResolveContext): unknown {
    return literalValue(this.inner.resolve(context));
  }

  toString(): string {
    return Token.asString(this);
  }

  toJSON(): string {
    return "<unresolved-lazy>";
  }
}
