/** Parsed command line: positionals and `--flag value` / `--flag=value` / boolean `--flag` options. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | true>>;
}

/**
 * Parses arguments. `booleanFlags` never take a value; every other `--flag` takes the next word
 * unless written `--flag=value`.
 */
export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("--")) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) flags[name] = a.slice(eq + 1);
    else if (booleanFlags.includes(name) || name === "help" || i + 1 >= argv.length || argv[i + 1].startsWith("--")) flags[name] = true;
    else flags[name] = argv[++i];
  }
  return { positionals, flags };
}

/** A string flag's value, or the fallback. Throws when the flag was given without a value. */
export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new Error(`--${name} needs a value.`);
  return v ?? fallback;
}
