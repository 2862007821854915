import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPolicy, Finding } from "../policy";
import type { ResolvedEnvironment } from "../envspec";
import { EnvironmentStack } from "../stacks/environment-stack";
import { withFastSynth } from "../stacks/fast-synth";

/**
 * Judges a drafted environment by the policy pack: every finding of the stack built from it.
 * Error-level findings reject the draft; warnings and infos are shown with it.
 */
export type PolicyGate = (env: ResolvedEnvironment) => readonly Finding[];

/**
 * The real gate: builds the {@link EnvironmentStack} exactly as `synth` does and runs
 * `checkPolicy` on it; when nothing blocks, synthesises it too, so construct validations run
 * before anything is written. The App writes to a temporary folder that is removed again: a
 * rejected draft leaves no trace in cdktf.out/. Throws when the stack cannot be built or synthesised.
 */
export const checkDraftPolicy: PolicyGate = (env) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "proxmox-cdk-draft-"));
  try {
    return withFastSynth(() => {
      const app = new App({ outdir });
      const stack = new EnvironmentStack(app, env.name, { env });
      const findings = checkPolicy(stack, stack.policyOptions);
      if (blockingFindings(findings).length === 0) app.synth();
      return findings;
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
};

/** Findings that reject a draft. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error");
}
