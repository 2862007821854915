/**
 * `proxmox-cdk <command> [args]`: thin commands over deploy/, sim/, policy/ and ai/.
 */
import { parseArgs } from "./args";
import { Command, UsageError } from "./command";
import { checkCommand } from "./commands/check";
import { destroyCommand } from "./commands/destroy";
import { doctorCommand } from "./commands/doctor";
import { draftCommand } from "./commands/draft";
import { driftCommand } from "./commands/drift";
import { inventoryCommand } from "./commands/inventory";
import { planCommand } from "./commands/plan";
import { reviewCommand } from "./commands/review";
import { simCommand } from "./commands/sim";
import { upCommand } from "./commands/up";
import { validateCommand } from "./commands/validate";

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [upCommand, planCommand, destroyCommand, driftCommand, inventoryCommand, validateCommand, reviewCommand, checkCommand, draftCommand, doctorCommand, simCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: proxmox-cdk <command> [arguments]   (proxmox-cdk <command> --help for details)",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Targets a real Proxmox VE through PROXMOX_VE_ENDPOINT / PROXMOX_VE_API_TOKEN; without them, the embedded simulator.",
  ].join("\n");
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 64;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 64;
  }
  const args = parseArgs(rest, command.booleanFlags);
  if (args.flags.help && command.name !== "sim") {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(args, rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${command.help}`);
      return 64;
    }
    console.error(`proxmox-cdk ${name}: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
