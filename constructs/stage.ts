/** Deployment stage of an environment; prod turns on protection, backups and HA by default. */
export type Stage = (typeof STAGES)[number];

/** All stages, in promotion order (the environment spec's `stage` accepts exactly these). */
export const STAGES = ["dev", "staging", "prod"] as const;
