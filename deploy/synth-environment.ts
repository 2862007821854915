import { App } from "cdktf";
import * as path from "path";
import { addEnvironmentStacks } from "../stacks/environment-app";
import type { EnvironmentStack } from "../stacks/environment-stack";
import { withFastSynth } from "../stacks/fast-synth";

/** A synthesised environment ready for terraform. */
export interface SynthesisedEnvironment {
  /** Stack name (= environment name). */
  readonly name: string;
  /** Terraform working directory of the stack (`cdktf.out/stacks/<name>`). */
  readonly workdir: string;
}

/**
 * Synthesises one environment from `environments/<name>.yaml` into `<root>/cdktf.out`, exactly as
 * `cdktf synth` would (the same stacks/ code), without needing the cdktf CLI at run time.
 * A broken spec throws before anything is written.
 */
export function synthEnvironment(root: string, name: string): SynthesisedEnvironment {
  const outdir = path.join(root, "cdktf.out");
  return withFastSynth(() => {
    const app = new App({ outdir });
    addEnvironmentStack(app, root, name);
    app.synth();
    return { name, workdir: path.join(outdir, "stacks", name) };
  });
}

/**
 * Adds the stack of `<root>/environments/<name>.yaml` to `app`. Throws when the spec is broken or
 * does not exist.
 */
export function addEnvironmentStack(app: App, root: string, name: string): EnvironmentStack {
  const [stack] = addEnvironmentStacks(app, { dir: path.join(root, "environments"), only: [name] });
  if (!stack) throw new Error(`No environment "${name}": environments/${name}.yaml does not exist — create it (see environments/dev.yaml).`);
  return stack;
}
