/**
 * Runs `work` with Node's source-map support for stack traces switched off, then restores it.
 * cdktf captures a full stack trace for every token it creates; under tsx each trace is mapped
 * through source maps, which costs more than the synthesis itself (about half of a 1,000-VM synth).
 */
export function withoutSourceMaps<T>(work: () => T): T {
  const wasEnabled = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return work();
  } finally {
    process.setSourceMapsEnabled(wasEnabled);
  }
}
