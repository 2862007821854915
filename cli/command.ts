import { ParsedArgs } from "./args";

/** One `proxmox-cdk` command. */
export interface Command {
  /** Name as typed: `up`, `plan`, … */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text (usage, arguments, options, examples). */
  readonly help: string;
  /** Flags that never take a value. */
  readonly booleanFlags?: readonly string[];
  /**
   * Runs the command; resolves to the process exit code. `raw` holds the arguments after the
   * command name as typed, for commands that parse their own flags.
   */
  run(args: ParsedArgs, raw: readonly string[]): Promise<number>;
}

/** The environment name argument, or a usage error. */
export function envArgument(args: ParsedArgs, command: string): string {
  const env = args.positionals[0];
  if (!env) throw new UsageError(`${command} needs an environment name, e.g. \`proxmox-cdk ${command} dev\`.`);
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(env)) throw new UsageError(`"${env}" is not an environment name (lowercase letters, digits, -).`);
  return env;
}

/** A mistake in how the command was called (exit code 64, usage shown). */
export class UsageError extends Error {}
