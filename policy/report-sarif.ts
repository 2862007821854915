import * as path from "path";
import { Finding, PolicyResult, Severity, SuppressedFinding } from "./finding";
import { mappingTag, PolicyRule } from "./rule";
import { ALL_RULES } from "./rules";
import { ReportOptions } from "./report-json";

/** URI of the OASIS SARIF 2.1.0 JSON schema (recorded in `$schema`, never fetched). */
export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** The subset of SARIF 2.1.0 this writer emits. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: readonly SarifRun[];
}
interface SarifMessage {
  readonly text: string;
}
interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: SarifMessage & { readonly markdown: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[]; readonly "security-severity": string };
}
interface SarifLocation {
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string };
    readonly region: { readonly startLine: number; readonly startColumn: number };
  };
  readonly logicalLocations: readonly { readonly fullyQualifiedName: string; readonly kind: string }[];
}
interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly suppressions?: readonly {
    readonly kind: "inSource";
    readonly status: "accepted";
    readonly justification: string;
    readonly properties: { readonly declaredAt: string; readonly expires?: string };
  }[];
  readonly properties?: { readonly resource: string };
}
interface SarifRun {
  readonly tool: {
    readonly driver: { readonly name: string; readonly version?: string; readonly rules: readonly SarifRule[] };
  };
  readonly results: readonly SarifResult[];
}
type SarifLevel = "error" | "warning" | "note";

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: "error", warning: "warning", info: "note" };
/** GitHub code scanning ranks security alerts by this score (critical ≥ 9, high ≥ 7, medium ≥ 4). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: "8.0", warning: "5.0", info: "2.0" };

/** Options of {@link toSarif}. */
export interface SarifOptions extends ReportOptions {
  /** The rules to describe (those of `result.ruleIds` are used). @default ALL_RULES */
  readonly rules?: readonly PolicyRule[];
  /** Directory that artifact URIs are made relative to. @default process.cwd() */
  readonly baseDirectory?: string;
}

/**
 * A SARIF 2.1.0 log of a policy run: every evaluated rule in `tool.driver.rules` (help = the
 * remediation, tags = the baseline mappings), one result per finding located at the spec position
 * when known and always at the construct path (logical location). Suppressed findings are results
 * carrying an accepted in-source suppression with its justification.
 */
export function toSarif(result: PolicyResult, options: SarifOptions = {}): SarifLog {
  const known = options.rules ?? ALL_RULES;
  const rules = result.ruleIds.map((id) => {
    const rule = known.find((r) => r.id === id);
    if (!rule) throw new Error(`toSarif: rule ${id} of the result is not among the rules given — pass the same rules as to the policy run.`);
    return rule;
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const base = options.baseDirectory ?? process.cwd();
  const results = [...result.findings, ...result.suppressed].map((f) => toResult(f, index.get(f.ruleId) ?? -1, base));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "proxmox-cdk-policy",
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules: rules.map(toRule),
          },
        },
        results,
      },
    ],
  };
}

/** The SARIF log as text (2-space indented, trailing newline). */
export function renderSarif(result: PolicyResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}

function toRule(rule: PolicyRule): SarifRule {
  const mappings = rule.mappings.map((m) => `- ${m.framework} ${m.control}: ${m.title}`);
  return {
    id: rule.id,
    name: rule.id.replace(/-/g, ""),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} Severity: ${rule.severity}.` },
    help: {
      text: rule.remediation,
      markdown: [`**Fix:** ${rule.remediation}`, ...(mappings.length ? ["", "**Mappings:**", ...mappings] : [])].join("\n"),
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ["security", "proxmox", ...rule.mappings.map(mappingTag)], "security-severity": SECURITY_SEVERITY[rule.severity] },
  };
}

function toResult(f: Finding | SuppressedFinding, ruleIndex: number, base: string): SarifResult {
  const location: SarifLocation = {
    ...(f.source
      ? { physicalLocation: { artifactLocation: { uri: artifactUri(f.source.file, base) }, region: { startLine: f.source.line, startColumn: f.source.col } } }
      : {}),
    logicalLocations: [{ fullyQualifiedName: f.path, kind: "resource" }],
  };
  const s = "suppression" in f ? f.suppression : undefined;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${f.message} Fix: ${f.remediation}` },
    locations: [location],
    ...(s
      ? {
          suppressions: [
            {
              kind: "inSource",
              status: "accepted",
              justification: s.reason,
              properties: { declaredAt: s.declaredAt, ...(s.expires ? { expires: s.expires } : {}) },
            },
          ],
        }
      : {}),
    ...(f.resource ? { properties: { resource: f.resource } } : {}),
  };
}

/** A relative URI reference for files under `base`, a file:// URI for other absolute paths. */
function artifactUri(file: string, base: string): string {
  const encode = (p: string) => p.split(/[\\/]/).map(encodeURIComponent).join("/");
  if (!path.isAbsolute(file)) return encode(file);
  const relative = path.relative(base, file);
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) return encode(relative);
  return `file://${encode(file)}`;
}
