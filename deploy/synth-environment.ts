import { App } from "cdktf";
import * as path from "path";
import { addEnvironmentStacks, EnvironmentAppOptions } from "../stacks/environment-app";
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
 * A broken spec throws before anything is written. `unprotect`: see {@link EnvironmentAppOptions.unprotect}.
 */
export function synthEnvironment(root: string, name: string, opts: { readonly unprotect?: boolean } = {}): SynthesisedEnvironment {
  const outdir = path.join(root, "cdktf.out");
  return withFastSynth(() => {
    const app = new App({ outdir });
    const stacks = addEnvironmentStacks(app, { dir: path.join(root, "environments"), only: [name], unprotect: opts.unprotect });
    if (stacks.length === 0) {
      throw new Error(`No environment "${name}": environments/${name}.yaml does not exist — create it (see environments/dev.yaml).`);
    }
    app.synth();
    return { name, workdir: path.join(outdir, "stacks", name) };
  });
}
