// The product's process runner serves the tests too (same API: exit code, stdout, stderr, interleaved output).
export type { ProcessResult } from "../../../io/run-process";
export { runProcess } from "../../../io/run-process";
