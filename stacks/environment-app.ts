import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { loadLocatedEnvironment, resolveDefaults } from "../envspec";
import { EnvironmentStack } from "./environment-stack";

/** The spec files of an environments folder, sorted: `environments/*.yaml`. */
export function environmentFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Options of {@link addEnvironmentStacks}. */
export interface EnvironmentAppOptions {
  /** Folder with the specs. @default "environments" */
  readonly dir?: string;
  /** Only these environments (by file name without extension). @default all */
  readonly only?: readonly string[];
  /**
   * Synthesise every VM with `protection = false` and without the policy pack (whose PVE-OPS-001
   * forbids exactly that): only for `destroy --unprotect`, which applies this right before it
   * destroys the environment.
   * @default false
   */
  readonly unprotect?: boolean;
}

/**
 * Adds one {@link EnvironmentStack} per spec file to `app`, named after the file
 * (`environments/dev.yaml` → stack `dev`). Every spec is loaded and validated before any stack is
 * created, so a broken spec stops the run before anything is synthesised.
 */
export function addEnvironmentStacks(app: App, opts: EnvironmentAppOptions = {}): EnvironmentStack[] {
  const files = environmentFiles(opts.dir ?? "environments").filter((f) => !opts.only || opts.only.includes(path.basename(f).replace(/\.ya?ml$/, "")));
  const envs = files.map((f) => {
    const located = loadLocatedEnvironment(f);
    return { file: f, env: resolveDefaults(located.spec), locate: located.locate };
  });
  return envs.map(({ file, env, locate }) => {
    const stackName = path.basename(file).replace(/\.ya?ml$/, "");
    if (stackName !== env.name) {
      throw new Error(`${file}: name "${env.name}" must match the file name "${stackName}" (the stack is named after the file).`);
    }
    if (opts.unprotect) return new EnvironmentStack(app, stackName, { env: { ...env, protection: false }, locate, policy: false });
    return new EnvironmentStack(app, stackName, { env, locate });
  });
}
