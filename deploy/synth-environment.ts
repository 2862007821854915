import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { publishSynthesis } from "../io/publish-synthesis";
import { addEnvironmentStacks, EnvironmentAppOptions } from "../stacks/environment-app";
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
 *
 * Nothing under `cdktf.out/` changes unless the whole synthesis succeeds: the spec is validated
 * before any stack is built, cdktf writes into a private folder (its App creates `cdktf.out/stacks/`
 * as soon as it exists), and only then are the files copied into place, each replaced atomically.
 * Files terraform keeps in the working directory (`.terraform/`, the lock file) are left alone.
 * `unprotect`: see {@link EnvironmentAppOptions.unprotect}.
 */
export function synthEnvironment(root: string, name: string, opts: Pick<EnvironmentAppOptions, "unprotect"> = {}): SynthesisedEnvironment {
  const outdir = path.join(root, "cdktf.out");
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "proxmox-cdk-synth-"));
  try {
    withFastSynth(() => {
      const app = new App({ outdir: staging });
      addEnvironmentStack(app, root, name, opts);
      app.synth();
    });
    publishSynthesis(staging, outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { name, workdir: path.join(outdir, "stacks", name) };
}

/**
 * Adds the stack of `<root>/environments/<name>.yaml` to `app`. Throws when the spec is broken or
 * does not exist. `unprotect`: see {@link EnvironmentAppOptions.unprotect}.
 */
export function addEnvironmentStack(app: App, root: string, name: string, opts: Pick<EnvironmentAppOptions, "unprotect"> = {}): EnvironmentStack {
  const [stack] = addEnvironmentStacks(app, { dir: path.join(root, "environments"), only: [name], unprotect: opts.unprotect });
  if (!stack) throw new Error(`No environment "${name}": environments/${name}.yaml does not exist — create it (see environments/dev.yaml).`);
  return stack;
}
