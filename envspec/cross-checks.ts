import { didYouMean } from "./did-you-mean";
import { DNS_LABEL } from "./identifiers";
import { LIMITS } from "./limits";
import { literalTextChecks } from "./literal-text-checks";
import { networkChecks } from "./network-checks";
import { containerChecks } from "./container-checks";
import { isWindowsTier, windowsChecks } from "./windows-checks";
import { adoptedChecks } from "./adopted-checks";
import { dataProtectionChecks } from "./data-protection-checks";
import { operationsChecks } from "./operations-checks";
import { asInt, asList, asMap, asString, RawMap, tierCount } from "./raw-access";
import type { SpecIssue, SpecPath } from "./spec-issue";
import { sshKeyFingerprint } from "../constructs/ssh-key-fingerprint";
import { sshPublicKeyProblem } from "./ssh-public-key";

/**
 * Rules that relate fields of a spec: references between tiers, templates and firewall intents,
 * duplicates, totals, VM names, subnets and stage-dependent requirements. It reads the raw data
 * defensively, so it can run next to the schema and report everything in one pass. Exposing ssh,
 * rdp or a database to 0.0.0.0/0 is deliberately not an error here: the policy pack reports it.
 */
export function crossCheckEnvironment(raw: unknown): SpecIssue[] {
  const spec = asMap(raw);
  if (spec === undefined) return [];
  return [
    ...referenceChecks(spec),
    ...duplicateChecks(spec),
    ...capacityChecks(spec),
    ...networkChecks(spec),
    ...operationsChecks(spec),
    ...literalTextChecks(spec),
    ...containerChecks(spec),
    ...windowsChecks(spec),
    ...adoptedChecks(spec),
    ...dataProtectionChecks(spec),
  ];
}

const issue = (path: SpecPath, message: string, at: "key" | "value" = "value"): SpecIssue => ({ path, message, at });

export function unknownName(kind: string, name: string, known: readonly string[]): string {
  const list = known.length === 0 ? `no ${kind}s are defined` : `${kind}s are: ${[...known].sort().join(", ")}`;
  return `unknown ${kind} "${name}"; ${list}${didYouMean(name, known)}`;
}

function referenceChecks(spec: RawMap): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const tiers = asMap(spec.tiers) ?? {};
  const tierNames = Object.keys(tiers);
  const templateNames = Object.keys(asMap(spec.templates) ?? {});
  // An environment that adopts running guests (an `adopted:` section, filled by import) may have no tier.
  if (asMap(spec.tiers) !== undefined && tierNames.length === 0 && asMap(spec.adopted) === undefined)
    issues.push(issue(["tiers"], "must define at least one tier"));
  if (tierNames.length > LIMITS.tiers) issues.push(issue(["tiers"], `must define at most ${LIMITS.tiers} tiers, got ${tierNames.length}`));
  if (templateNames.length > LIMITS.templates) {
    issues.push(issue(["templates"], `must define at most ${LIMITS.templates} templates, got ${templateNames.length}`));
  }
  for (const [tierName, tier] of Object.entries(tiers)) {
    // A container tier's template is a containerTemplate (container-checks.ts).
    // A Windows tier's is a windowsInstaller (windows-checks.ts).
    if (asMap(tier)?.kind === "container" || isWindowsTier(tier)) continue;
    const template = asString(asMap(tier)?.template);
    if (template !== undefined && !templateNames.includes(template)) {
      issues.push(issue(["tiers", tierName, "template"], unknownName("template", template, templateNames)));
    }
  }
  const firewall = asMap(spec.firewall);
  asList(firewall?.allow).forEach((intent, i) => {
    for (const end of ["from", "to"] as const) {
      const name = asString(asMap(intent)?.[end]);
      if (name !== undefined && !tierNames.includes(name)) issues.push(issue(["firewall", "allow", i, end], unknownName("tier", name, tierNames)));
    }
  });
  asList(firewall?.expose).forEach((intent, i) => {
    const name = asString(asMap(intent)?.tier);
    if (name !== undefined && !tierNames.includes(name)) issues.push(issue(["firewall", "expose", i, "tier"], unknownName("tier", name, tierNames)));
  });
  return issues;
}

/** Reports every list entry whose key was already seen, at the later entry. */
function duplicatesIn(list: readonly unknown[], path: SpecPath, key: (item: unknown) => string | undefined, what: string): SpecIssue[] {
  const seen = new Map<string, number>();
  const issues: SpecIssue[] = [];
  list.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else issues.push(issue([...path, i], `duplicate ${what}: same as ${path[path.length - 1]}[${first}]; remove one`));
  });
  return issues;
}

/** The fingerprint of a key entry (a line or `{ key }`) whose line is valid; the schema reports the others. */
function keyFingerprintOf(entry: unknown): string | undefined {
  const line = asString(entry) ?? asString(asMap(entry)?.key);
  return line !== undefined && sshPublicKeyProblem(line) === undefined ? sshKeyFingerprint(line) : undefined;
}

function duplicateChecks(spec: RawMap): SpecIssue[] {
  const firewall = asMap(spec.firewall);
  const fields =
    (...names: string[]) =>
    (item: unknown) => {
      const map = asMap(item);
      const values = names.map((n) => asString(map?.[n]));
      return values.every((v) => v !== undefined) ? values.join("\u0000") : undefined;
    };
  const issues = [
    ...duplicatesIn(asList(spec.nodes), ["nodes"], asString, "node"),
    ...duplicatesIn(asList(asMap(spec.cloudInit)?.sshKeys), ["cloudInit", "sshKeys"], keyFingerprintOf, "SSH key"),
    ...duplicatesIn(asList(firewall?.allow), ["firewall", "allow"], fields("from", "to", "port"), "allow intent (same from, to and port)"),
    ...duplicatesIn(asList(firewall?.expose), ["firewall", "expose"], fields("tier", "port", "from"), "expose intent (same tier, port and from)"),
  ];
  for (const [tierName, tier] of Object.entries(asMap(spec.tiers) ?? {})) {
    issues.push(...duplicatesIn(asList(asMap(tier)?.tags), ["tiers", tierName, "tags"], asString, "tag"));
  }
  return issues;
}

function capacityChecks(spec: RawMap): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const tiers = Object.entries(asMap(spec.tiers) ?? {});
  // An invalid environment name is reported by the schema; VM names built from it would only repeat that.
  const envName = DNS_LABEL.test(asString(spec.name) ?? "") ? asString(spec.name) : undefined;
  let total = 0;
  for (const [tierName, tier] of tiers) {
    const count = tierCount(tier);
    if (count === undefined) continue;
    total += count;
    const longest = `${envName}-${tierName}-${count}`;
    if (envName !== undefined && longest.length > LIMITS.dnsLabelLength) {
      issues.push(
        issue(
          ["tiers", tierName],
          `VM name "${longest}" would have ${longest.length} characters, more than ${LIMITS.dnsLabelLength} (a DNS label); shorten the tier or environment name`,
          "key",
        ),
      );
    }
  }
  if (total > LIMITS.totalVms) {
    issues.push(
      issue(
        ["tiers"],
        `the tiers add up to ${total} VMs, more than the limit of ${LIMITS.totalVms} per environment; lower the counts or split the environment`,
      ),
    );
  }
  const range = asMap(spec.vmIdRange);
  const start = asInt(range?.start);
  const end = asInt(range?.end);
  if (start !== undefined && end !== undefined) {
    const templates = Object.keys(asMap(spec.templates) ?? {}).length;
    if (start > end) issues.push(issue(["vmIdRange", "end"], `must not be below start (${start}), got ${end}`));
    else if (end - start + 1 < total + templates) {
      issues.push(
        issue(
          ["vmIdRange"],
          `holds ${end - start + 1} VM ids but the environment needs ${total + templates} (${total} VMs + ${templates} templates); widen the range`,
        ),
      );
    }
  }
  return issues;
}
