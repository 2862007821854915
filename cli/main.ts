/**
 * `proxmox-cdk <command> [args]`: thin commands over deploy/, sim/, policy/ and ai/.
 * Command files are light (their heavy imports happen in `run`), so `--help` and usage errors
 * work on a fresh clone before the toolchain and the provider bindings exist.
 */
import { parseArgs, UsageError } from "./args";
import { Command, commandHelp } from "./command";
import { checkCommand } from "./commands/check";
import { destroyCommand } from "./commands/destroy";
import { doctorCommand } from "./commands/doctor";
import { docsCommand } from "./commands/docs";
import { draftCommand } from "./commands/draft";
import { driftCommand } from "./commands/drift";
import { inventoryCommand } from "./commands/inventory";
import { planCommand } from "./commands/plan";
import { reviewCommand } from "./commands/review";
import { scanCommand } from "./commands/scan";
import { importCommand } from "./commands/import";
import { setupCommand } from "./commands/setup";
import { simCommand } from "./commands/sim";
import { upCommand } from "./commands/up";
import { rotateKeysCommand } from "./commands/rotate-keys";
import { uiCommand } from "./commands/ui";
import { validateCommand } from "./commands/validate";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  upCommand,
  rotateKeysCommand,
  planCommand,
  destroyCommand,
  driftCommand,
  inventoryCommand,
  validateCommand,
  reviewCommand,
  checkCommand,
  scanCommand,
  importCommand,
  draftCommand,
  docsCommand,
  uiCommand,
  doctorCommand,
  setupCommand,
  simCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: proxmox-cdk <command> [arguments]   (proxmox-cdk <command> --help for details)",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Target: the Proxmox VE in PROXMOX_VE_ENDPOINT (token in PROXMOX_VE_API_TOKEN). Without it, dev-stage",
    "environments use the embedded simulator; other stages need --sim (or PROXMOX_CDK_TARGET=sim).",
    EXIT_CODES_HELP,
  ].join("\n");
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? console.log : console.error)(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const args = parseArgs(rest, command.args);
    if (args.flags.help) {
      console.log(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(args, rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`proxmox-cdk ${name}: ${e.message}\n\n${commandHelp(command)}`);
      return EXIT.usage;
    }
    console.error(`proxmox-cdk ${name}: ${(e as Error).message}`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  // main resolves to an exit code for every error (it never rejects).
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
