import { withoutCreationTraces } from "../cdk/library-adapter";

/** Environment variable that keeps cdktf's per-token creation traces (for debugging a token). */
export const TOKEN_TRACES_ENV = "PROXMOX_CDK_TOKEN_TRACES";

/**
 * Runs `work` — building and synthesising stacks — without two debugging aids that cost more than
 * the synthesis itself, then restores both:
 *
 * - Source-mapped stack traces: under tsx every trace is mapped through source maps.
 * - The CDK library's creation trace for every token: cdktf and cdktn record a full stack trace (no
 *   depth limit) each time they create a token or lazy value, only to print it if that token later
 *   fails to resolve. For a 1,000-VM environment that is ~80,000 traces. Here those captures are
 *   skipped (the token's trace is empty) — through cdktn's own switch where the library has one,
 *   else (cdktf 0.21) also the traces `constructs` attaches to metadata entries (annotations), which
 *   are taken the same way (cdk/library-adapter.ts); an `Error`'s own stack is untouched. Set
 *   `PROXMOX_CDK_TOKEN_TRACES=1` to keep them all while hunting a resolution error.
 *
 * `work` must be synchronous (cdktf's construction and synthesis are): the settings are restored
 * as soon as it returns, so the awaited part of an async function would run with neither.
 */
export function withFastSynth<T>(work: () => T): T {
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return keepTokenTraces() ? work() : withoutCreationTraces(work);
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}

/** PROXMOX_CDK_TOKEN_TRACES set to anything but empty, `0` or `false`. */
function keepTokenTraces(): boolean {
  const value = (process.env[TOKEN_TRACES_ENV] ?? "").trim().toLowerCase();
  return value !== "" && value !== "0" && value !== "false";
}
