/** The hardening policy pack: rules, the Aspect, the programmatic check, suppressions and reports. */
export { checkPolicy, runPolicy, PolicyOptions } from "./check-policy";
export { PolicyContext, PolicyContextOptions } from "./context";
export { Finding, PolicyResult, Severity, SuppressedFinding, SuppressionInfo, formatFinding } from "./finding";
export { PolicyPack } from "./pack";
export { PolicyResource, prepareStackForPolicy } from "./policy-resource";
export { renderJsonReport, toJsonReport, JsonReport, ReportOptions } from "./report-json";
export { renderMarkdownReport } from "./report-markdown";
export { renderSarif, toSarif, SarifLog, SarifOptions, SARIF_SCHEMA_URI } from "./report-sarif";
export { ControlMapping, PolicyRule, Violation } from "./rule";
export { ALL_RULES } from "./rules";
export { renderRulesDoc } from "./rules-doc";
export { captureSourceLocation, setSourceLocation, sourceLocationOf, SourceLocation, SOURCE_METADATA_TYPE } from "./source-location";
export { suppress, SuppressionOptions } from "./suppress";
