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
 *
 * `work` must be synchronous (cdktf's construction and synthesis are): the settings are restored
 * as soon as it returns, so the awaited part of an async function would run with neither.
 */
export function withFastSynth<T>(work: () => T): T {
  const sourceMaps = process.sourceMapsEnabled;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back as-is; it is only called as capture.call(Error, …)
  const capture = Error.captureStackTrace;
  process.setSourceMapsEnabled(false);
  if (!keepTokenTraces()) Error.captureStackTrace = skipTokenTraces(capture);
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
    process.setSourceMapsEnabled(sourceMaps);
  }
}

/** PROXMOX_CDK_TOKEN_TRACES set to anything but empty, `0` or `false`. */
function keepTokenTraces(): boolean {
  const value = (process.env[TOKEN_TRACES_ENV] ?? "").trim().toLowerCase();
  return value !== "" && value !== "0" && value !== "false";
}

/**
 * `Error.captureStackTrace` that does nothing for cdktf's (and constructs') creation traces: those
 * capture into a plain object after lifting `Error.stackTraceLimit` to `Number.MAX_SAFE_INTEGER`.
 * Every other call — on an Error, or with a normal limit — goes to the original.
 */
function skipTokenTraces(capture: typeof Error.captureStackTrace): typeof Error.captureStackTrace {
  return function captureStackTrace(target: object, constructorOpt?: Parameters<typeof capture>[1]): void {
    if (Error.stackTraceLimit === Number.MAX_SAFE_INTEGER && !(target instanceof Error)) return;
    // Without constructorOpt, hide this wrapper as the original hides itself.
    capture.call(Error, target, constructorOpt ?? captureStackTrace);
  };
}
