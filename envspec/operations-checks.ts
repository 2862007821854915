import { STAGES, Stage } from "./environment-schema";
import { asInt, asList, asMap, RawMap } from "./raw-access";
import type { SpecIssue } from "./spec-issue";
import { featureEnabled, STAGE_DEFAULTS } from "./stage-defaults";

/**
 * Stage-dependent requirements of backups and HA: a backup job needs a storage (there is no safe
 * default storage), HA needs a second node, and settings of a switched-off feature are an error
 * because a reader would believe they apply.
 */
export function operationsChecks(spec: RawMap): SpecIssue[] {
  const stage = spec.stage as Stage;
  if (!STAGES.includes(stage)) return [];
  const defaults = STAGE_DEFAULTS[stage];
  const issues: SpecIssue[] = [];

  const backups = asMap(spec.backups);
  if (spec.backups === undefined || backups !== undefined) {
    if (backups?.enabled === false) {
      issues.push(...ineffective(backups, "backups", ["schedule", "storage", "retention"]));
    } else if (featureEnabled(defaults.backups, backups)) {
      if (backups === undefined) {
        issues.push({
          path: ["stage"],
          at: "value",
          message: `stage ${stage} runs a backup job by default, which needs a storage; add "backups: { storage: <storage id> }" or "backups: { enabled: false }"`,
        });
      } else if (backups.storage === undefined) {
        issues.push({
          path: ["backups"],
          at: "value",
          message: "storage is required when backups are enabled; set it to a backup storage id (ideally Proxmox Backup Server)",
        });
      }
      const retention = asMap(backups?.retention) ?? {};
      const kept = (["keepDaily", "keepWeekly", "keepMonthly"] as const).map((k) => (retention[k] === undefined ? defaults.retention[k] : asInt(retention[k])));
      if (kept.every((n) => n === 0)) {
        issues.push({
          path: ["backups", "retention"],
          at: "value",
          message: "keeps no backup at all; set keepDaily, keepWeekly or keepMonthly above 0, or set backups.enabled: false",
        });
      }
    }
  }

  const ha = asMap(spec.ha);
  if (spec.ha === undefined || ha !== undefined) {
    if (ha?.enabled === false) {
      issues.push(...ineffective(ha, "ha", ["maxRestart", "maxRelocate"]));
    } else if (featureEnabled(defaults.ha, ha)) {
      const nodes = asList(spec.nodes);
      if (nodes.length === 1) {
        const why = ha === undefined ? `stage ${stage} turns on HA by default` : "ha is enabled";
        issues.push({ path: ["nodes"], at: "value", message: `${why}, which needs at least 2 nodes; add nodes or set "ha: { enabled: false }"` });
      }
    }
  }
  return issues;
}

function ineffective(block: RawMap, name: string, keys: readonly string[]): SpecIssue[] {
  return keys
    .filter((key) => block[key] !== undefined)
    .map((key) => ({ path: [name, key], at: "key" as const, message: `has no effect because ${name}.enabled is false; remove it, or enable ${name}` }));
}
