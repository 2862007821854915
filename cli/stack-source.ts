import type { CdktfApp } from "../deploy/cdktf-app";
import { STACK_NAME } from "../deploy/app-manifest";
import { findCdktfApp } from "../deploy/cdktf-app";
import { OptionSpecs, ParsedArgs, stringFlag, UsageError } from "./args";
import { envArgument } from "./command";
import { projectRoot } from "./project-root";

/** `[<env>]`: an environment name, or none for a cdktf app (`--app`, or the project's cdktf.json). */
export const STACK_SOURCE_ARGUMENT = { usage: "[<env>]", minPositionals: 0, maxPositionals: 1 } as const;

/** `--app` and `--stack`: work on a stack of any cdktf app instead of an environment spec. */
export const APP_OPTIONS: OptionSpecs = {
  app: { type: "string", valueName: "CMD", description: 'the cdktf app\'s synth command, run as cdktf runs it (default: "app" in ./cdktf.json)' },
  stack: { type: "string", valueName: "NAME", description: "the app's stack to work on (needed when the app has several)" },
};

/** What a command works on: an environment spec, or a stack of a cdktf app. */
export type StackSource =
  | { readonly kind: "env"; readonly root: string; readonly env: string }
  /** `stack` "": the app's only stack. */
  | { readonly kind: "app"; readonly root: string; readonly app: CdktfApp; readonly stack: string };

/**
 * An environment name when one is given; otherwise a cdktf app: `--app`, else the `app` of the
 * project's cdktf.json. `--app`/`--stack` with an environment name, or neither an environment nor
 * an app, is a usage error naming what to give.
 */
export function stackSource(args: ParsedArgs, command: string, cwd = process.cwd()): StackSource {
  const appFlag = stringFlag(args, "app");
  const stack = stringFlag(args, "stack");
  if (args.positionals.length > 0) {
    if (appFlag !== undefined || stack !== undefined) {
      throw new UsageError(`give an environment name or --app/--stack, not both: "${args.positionals[0]}" names environments/${args.positionals[0]}.yaml.`);
    }
    return { kind: "env", root: projectRoot(cwd), env: envArgument(args, command) };
  }
  if (stack !== undefined && !STACK_NAME.test(stack)) {
    throw new UsageError(`--stack "${stack}" is not a stack name (letters, digits, _ . -).`);
  }
  const root = appFlag !== undefined ? cwd : projectRoot(cwd);
  let app: CdktfApp | undefined;
  try {
    app = findCdktfApp(root, appFlag);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!app) {
    throw new UsageError(
      `${command} needs an environment name (\`proxmox-cdk ${command} dev\`), or a cdktf app: run it in a folder with cdktf.json, or pass --app "npx ts-node main.ts" (--stack NAME for an app of several stacks).`,
    );
  }
  return { kind: "app", root, app, stack: stack ?? "" };
}

/** The workflow options (deploy/workflow.ts) that name what a source is. */
export function workflowSource(source: StackSource): { readonly root: string; readonly env: string; readonly app?: CdktfApp } {
  return source.kind === "env" ? { root: source.root, env: source.env } : { root: source.root, env: source.stack, app: source.app };
}

/** The `--help` paragraph every command that takes a {@link StackSource} ends its description with. */
export const APP_SOURCE_HELP = `Without <env> it works on a stack of any cdktf app instead: the app command of --app CMD, or
"app" in ./cdktf.json, is run as cdktf runs it (a shell in the project folder, CDKTF_OUTDIR set);
--stack NAME picks the stack when the app has several. An app has no stage: without
PROXMOX_VE_ENDPOINT the embedded simulator serves it only with --sim.`;
