import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPolicy } from "../policy";
import { addEnvironmentStacks } from "../stacks/environment-app";
import { withFastSynth } from "../stacks/fast-synth";
import { ReviewFinding } from "./review-markdown";

/**
 * The policy findings of one environment (not suppressed), for the review. Builds the stack in
 * memory; nothing is written to the project.
 */
export function policyFindingsFor(root: string, env: string): ReviewFinding[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-review-"));
  try {
    return withFastSynth(() => {
      const app = new App({ outdir });
      addEnvironmentStacks(app, { dir: path.join(root, "environments"), only: [env] });
      return checkPolicy(app).map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, path: f.path }));
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
