/** Environment variable that keeps cdktf's per-token creation traces (for debugging a token). */
export const TOKEN_TRACES_ENV = "PROXMOX_CDK_TOKEN_TRACES";

/**
 * Runs `work` — building and synthesising stacks — without two debugging aids that cost more than
 * the synthesis itself, then restores both:
 *
 * - Source-mapped stack traces: under tsx every trace is mapped through source maps.
 * - cdktf's creation trace for every token: cdktf records a full stack trace (no depth limit) each
 *   time it creates a token or lazy value, only to print it if that token later fails to resolve.
 *   For a 1,000-VM environment that is ~80,000 traces. Here those captures are skipped (the token's
 *   trace is empty), and so are the traces `constructs` attaches to metadata entries (annotations),
 *   which are taken the same way; an `Error`'s own stack is untouched. Set
 *   `PROXMOX_CDK_TOKEN_TRACES=1` to keep them all while hunting a resolution error.
 */
export function withFastSynth<T>(work: () => T): T {
  const sourceMaps = process.sourceMapsEnabled;
  const capture = Error.captureStackTrace;
  process.setSourceMapsEnabled(false);
  if (!process.env[TOKEN_TRACES_ENV]) Error.captureStackTrace = skipTokenTraces(capture);
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
    process.setSourceMapsEnabled(sourceMaps);
  }
}

/**
 * `Error.captureStackTrace` that does nothing for cdktf's (and constructs') creation traces: those
 * capture into a plain object after lifting `Error.stackTraceLimit` to `Number.MAX_SAFE_INTEGER`.
 * Every other call — on an Error, or with a normal limit — goes to the original.
 */
function skipTokenTraces(capture: typeof Error.captureStackTrace): typeof Error.captureStackTrace {
  return function captureStackTrace(target: object, constructorOpt?: Function): void {
    if (Error.stackTraceLimit === Number.MAX_SAFE_INTEGER && !(target instanceof Error)) return;
    capture.call(Error, target, constructorOpt);
  };
}
