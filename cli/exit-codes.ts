/** The exit codes every command uses. */
export const EXIT = {
  /** Done; nothing to report. */
  ok: 0,
  /** Failed (the message says why). */
  failure: 1,
  /** Done, with something to act on: changes (plan), drift, error-level findings. */
  changes: 2,
  /** The command was called wrongly: nothing ran (BSD sysexits EX_USAGE). */
  usage: 64,
} as const;

/** The exit-code paragraph of every `--help`. */
export const EXIT_CODES_HELP = `Exit codes: ${EXIT.ok} ok, ${EXIT.failure} failure, ${EXIT.changes} changes / drift / error-level findings, ${EXIT.usage} usage error (nothing ran).`;
