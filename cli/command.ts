import { ArgumentSpec, ParsedArgs, renderHelp, UsageError } from "./args";

export { UsageError } from "./args";

/**
 * One `proxmox-cdk` command. A command file imports only this and light modules at its top: the
 * heavy ones (deploy/, stacks/, the generated bindings) are imported inside `run`, so `--help`,
 * `doctor` and usage errors work before the toolchain is set up.
 */
export interface Command {
  /** Name as typed: `up`, `plan`, … */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** What the command accepts; the parser and `--help` both read it. */
  readonly args: ArgumentSpec;
  /** The `--help` text between the usage line and the options. */
  readonly description: string;
  /** Runs the command; resolves to the process exit code. `raw` holds the arguments as typed. */
  run(args: ParsedArgs, raw: readonly string[]): Promise<number>;
}

/** The full `--help` of a command. */
export function commandHelp(command: Command): string {
  return renderHelp(command.name, command.args, command.description);
}

/** `<env>`: the argument of every environment command. */
export const ENV_ARGUMENT = { usage: "<env>", minPositionals: 1, maxPositionals: 1 } as const;

/** The environment name argument, or a usage error. */
export function envArgument(args: ParsedArgs, command: string): string {
  const env = args.positionals[0];
  if (!env) throw new UsageError(`${command} needs an environment name, e.g. \`proxmox-cdk ${command} dev\`.`);
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(env)) throw new UsageError(`"${env}" is not an environment name (lowercase letters, digits, -).`);
  return env;
}
