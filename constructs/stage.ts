/** Deployment stage of an environment; prod turns on protection, backups and HA by default. */
export type Stage = "dev" | "staging" | "prod";

/** All stages, in promotion order. */
export const STAGES: readonly Stage[] = ["dev", "staging", "prod"];
