import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPolicy } from "../policy/check-policy";
import type { Finding, PolicyResult } from "../policy/finding";
import { withFastSynth } from "../stacks/fast-synth";
import { addEnvironmentStack } from "./synth-environment";

/** Options of {@link environmentPolicy}. */
export interface EnvironmentPolicyOptions {
  /**
   * Folder that the spec positions' file paths are made relative to (with `/` separators), e.g.
   * the project root for a review, the repository root for code scanning.
   * @default absolute paths
   */
  readonly relativeTo?: string;
  /**
   * The day the policy judges as today: key ages (PVE-CI-005) and suppression expiry. A later day
   * answers "will this still pass then?".
   * @default now
   */
  readonly now?: Date;
}

/**
 * The policy pack's verdict on `<root>/environments/<env>.yaml`: findings that count and suppressed
 * ones, each pointing at its spec position. The stack is built in memory and not synthesised, so
 * error-level findings are reported here instead of failing a synth; nothing is written to the
 * project. Throws when the spec is broken or missing.
 */
export function environmentPolicy(root: string, env: string, options: EnvironmentPolicyOptions = {}): PolicyResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-policy-"));
  let result: PolicyResult;
  try {
    result = withFastSynth(() => {
      const stack = addEnvironmentStack(new App({ outdir }), path.resolve(root), env);
      return runPolicy(stack, options.now === undefined ? stack.policyOptions : { ...stack.policyOptions, now: options.now });
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const base = options.relativeTo;
  if (base === undefined) return result;
  const relative = <F extends Finding>(f: F): F => (f.source ? { ...f, source: { ...f.source, file: relativeFile(base, f.source.file) } } : f);
  return { ...result, findings: result.findings.map(relative), suppressed: result.suppressed.map(relative) };
}

/** `file` relative to `base` when it lies inside it, else unchanged. */
function relativeFile(base: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(path.resolve(base), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}
