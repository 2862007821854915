/**
 * The environment spec: schema, loader, validation and stage-aware defaults.
 * `loadEnvironment("environments/prod.yaml")` then `resolveDefaults(spec)` is the usual path.
 */
export { EnvironmentShape, STAGES } from "./environment-schema";
export type { EnvironmentSpec, Stage } from "./environment-schema";
export { EnvironmentSpecSchema, validateEnvironment } from "./validate-environment";
export type { EnvironmentValidation } from "./validate-environment";
export { loadEnvironment, loadLocatedEnvironment, parseEnvironment, parseLocatedEnvironment } from "./load-environment";
export type { LocatedEnvironment } from "./load-environment";
export { SpecError, formatProblem } from "./spec-error";
export type { SpecProblem } from "./spec-error";
export type { SpecIssue, SpecPath } from "./spec-issue";
export { formatPath } from "./spec-issue";
export { environmentJsonSchema } from "./json-schema";
export { resolveDefaults } from "./resolve-defaults";
export type * from "./resolved-environment";
export { STAGE_DEFAULTS, COMMON_DEFAULTS } from "./stage-defaults";
export type { StageDefaults, Retention } from "./stage-defaults";
export { PORT_PRESETS, parsePort, presetsOpenedBy } from "./port";
export type { PortCategory, PortPreset, PortPresetName, PortProtocol, PortRange } from "./port";
export { LIMITS } from "./limits";
export { crossCheckEnvironment } from "./cross-checks";
export { AdoptedGuestSchema } from "./adopted-schema";
export type { AdoptedGuestSpec } from "./adopted-schema";
