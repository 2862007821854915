import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPolicy } from "../policy/check-policy";
import type { PolicyResult } from "../policy/finding";
import { withFastSynth } from "../stacks/fast-synth";
import { addEnvironmentStack } from "./synth-environment";

/**
 * The policy pack's verdict on `<root>/environments/<env>.yaml`: findings that count and suppressed
 * ones, each pointing at its spec position (an absolute file path). The stack is built in memory
 * and not synthesised, so error-level findings are reported here instead of failing a synth;
 * nothing is written to the project. Throws when the spec is broken or missing.
 */
export function environmentPolicy(root: string, env: string): PolicyResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-policy-"));
  try {
    return withFastSynth(() => runPolicy(addEnvironmentStack(new App({ outdir }), root, env)));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
