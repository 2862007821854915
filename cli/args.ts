import { parseArgs as parseNodeArgs } from "util";
import { EXIT_CODES_HELP } from "./exit-codes";

/** One option a command accepts, declared once: the parser and `--help` both read it. */
export interface OptionSpec {
  /** `boolean` takes no value; `string` takes one (`--out FILE` or `--out=FILE`). */
  readonly type: "boolean" | "string";
  /** One-line description for `--help`. */
  readonly description: string;
  /** One-letter alias (`-o`). @default none */
  readonly short?: string;
  /** Name of the value in `--help` (`--out FILE`). @default "VALUE" */
  readonly valueName?: string;
}

/** The options of a command by name (without the leading `--`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What a command accepts: its positionals and its options. */
export interface ArgumentSpec {
  /** Positional part of the usage line, e.g. `<env>`. @default "" */
  readonly usage?: string;
  /** Fewest positionals. @default 0 */
  readonly minPositionals?: number;
  /** Most positionals. @default 0 */
  readonly maxPositionals?: number;
  /** Options besides `--help`. @default {} */
  readonly options?: OptionSpecs;
}

/** Parsed command line: positionals and the options given (`true` for a boolean option). */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | true>>;
}

/** A mistake in how the command was called (exit code 64, usage shown). */
export class UsageError extends Error {}

/** `--help`, which every command accepts. */
export const HELP_OPTION: OptionSpecs = { help: { type: "boolean", short: "h", description: "show this help" } };

/**
 * Parses `argv` strictly against the declaration with Node's `util.parseArgs`: an unknown option,
 * a missing value or too many / too few positionals is a {@link UsageError}. `--help` is always
 * accepted (positional counts are not checked then).
 */
export function parseArgs(argv: readonly string[], spec: ArgumentSpec = {}): ParsedArgs {
  const options = { ...(spec.options ?? {}), ...HELP_OPTION };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }])),
    });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error));
  }
  const flags: Record<string, string | true> = {};
  for (const [name, value] of Object.entries(parsed.values)) if (value !== undefined && value !== false) flags[name] = value;
  const result = { positionals: parsed.positionals, flags };
  if (flags.help) return result;
  const min = spec.minPositionals ?? 0;
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals
      .slice(max)
      .map((p) => `"${p}"`)
      .join(", ");
    throw new UsageError(max === 0 ? `takes no arguments, got ${extra}.` : `unexpected argument ${extra} (at most ${max}).`);
  }
  if (parsed.positionals.length < min) throw new UsageError(`needs ${spec.usage ?? `${min} argument(s)`}.`);
  return result;
}

/** The first line of Node's parse error ("Unknown option '--x'."), without its hint about `--`. */
function usageMessage(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  const first = e.message.split("\n")[0];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `${first.split(". To specify")[0]}.`;
  return first;
}

/** A string option's value, or the fallback. */
export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new UsageError(`--${name} needs a value.`);
  return v ?? fallback;
}

/** The options block of `--help`, generated from the declaration. */
export function renderOptions(options: OptionSpecs): string[] {
  const all = { ...options, ...HELP_OPTION };
  const left = Object.entries(all).map(
    ([name, o]) => `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(all).map((o, i) => `  ${left[i].padEnd(width)}  ${o.description}`);
}

/** Full `--help` of a command: usage line, description, options, exit codes. */
export function renderHelp(name: string, spec: ArgumentSpec, description: string): string {
  return [
    `Usage: proxmox-cdk ${name}${spec.usage ? ` ${spec.usage}` : ""} [options]`,
    "",
    description.trim(),
    "",
    "Options:",
    ...renderOptions(spec.options ?? {}),
    "",
    EXIT_CODES_HELP,
  ].join("\n");
}
