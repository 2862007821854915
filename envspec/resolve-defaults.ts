import type { EnvironmentSpec } from "./environment-schema";
import { parsePort } from "./port";
import type { PbsTarget } from "./pbs-schema";
import type {
  ResolvedBackups,
  ResolvedContainerTemplate,
  ResolvedEnvironment,
  ResolvedNetwork,
  ResolvedPbsTarget,
  ResolvedTemplate,
  ResolvedTier,
  ResolvedWindowsInstaller,
  WeakenedDefault,
} from "./resolved-environment";
import { COMMON_DEFAULTS, featureEnabled, STAGE_DEFAULTS } from "./stage-defaults";
import { WINDOWS_DEFAULTS } from "../constructs/windows-requirements";
import { sshKeyLine, sshKeyRecord } from "./ssh-key-entry";

/**
 * Fills every optional field of a validated spec with its stage-aware default. prod: protection,
 * a backup job and HA; staging: a backup job; dev: none of them. Explicit values win; a hardened
 * default switched off explicitly is listed in `weakenedDefaults` for the policy pack.
 *
 * @param spec A spec returned by parseEnvironment/loadEnvironment/validateEnvironment.
 * @throws Error if the spec skipped validation and a backup job lacks its storage.
 */
export function resolveDefaults(spec: EnvironmentSpec): ResolvedEnvironment {
  const stage = STAGE_DEFAULTS[spec.stage];
  const weakenedDefaults: WeakenedDefault[] = [];
  const explicitly = (path: string, stageDefault: boolean, value: boolean | undefined): boolean => {
    if (value === undefined) return stageDefault;
    if (stageDefault && !value) weakenedDefaults.push({ path, stageDefault, value });
    return value;
  };

  const protection = explicitly("protection", stage.protection, spec.protection);
  explicitly("backups.enabled", stage.backups, spec.backups?.enabled);
  explicitly("ha.enabled", stage.ha, spec.ha?.enabled);

  let backups: ResolvedBackups = { enabled: false };
  if (featureEnabled(stage.backups, spec.backups)) {
    const storage = spec.backups?.storage;
    if (storage === undefined) {
      throw new Error(
        `environment "${spec.name}": backups are enabled but backups.storage is unset; validate the spec with parseEnvironment or validateEnvironment first`,
      );
    }
    backups = {
      enabled: true,
      schedule: spec.backups?.schedule ?? COMMON_DEFAULTS.backupSchedule,
      storage,
      retention: { ...stage.retention, ...definedOnly(spec.backups?.retention ?? {}) },
      ...(spec.backups?.pbs ? { pbs: resolvePbs(spec.backups.pbs) } : {}),
    };
  }

  const network: ResolvedNetwork = "sdn" in spec.network ? { kind: "sdn", ...spec.network.sdn } : { kind: "bridge", ...spec.network.bridge };

  const templates: Record<string, ResolvedTemplate> = {};
  for (const [name, t] of Object.entries(spec.templates)) {
    templates[name] = {
      name,
      url: t.url,
      checksum: t.checksum,
      checksumAlgorithm: t.checksumAlgorithm,
      fileName: t.fileName,
      uefi: t.uefi ?? COMMON_DEFAULTS.uefi,
    };
  }

  const containerTemplates: Record<string, ResolvedContainerTemplate> = {};
  for (const [name, t] of Object.entries(spec.containerTemplates ?? {})) {
    containerTemplates[name] = { name, url: t.url, checksum: t.checksum, checksumAlgorithm: t.checksumAlgorithm, fileName: t.fileName, osType: t.osType };
  }

  const windowsInstallers: Record<string, ResolvedWindowsInstaller> = {};
  for (const [name, t] of Object.entries(spec.windowsInstallers ?? {})) {
    windowsInstallers[name] = {
      name,
      url: t.url,
      checksum: t.checksum,
      checksumAlgorithm: t.checksumAlgorithm,
      fileName: t.fileName,
      osType: t.osType ?? WINDOWS_DEFAULTS.osType,
    };
  }

  const tiers: Record<string, ResolvedTier> = {};
  for (const [name, t] of Object.entries(spec.tiers)) {
    // Windows tiers are sized for Windows when the spec does not say.
    const d = t.os === "windows" ? { ...COMMON_DEFAULTS.tier, ...WINDOWS_DEFAULTS } : COMMON_DEFAULTS.tier;
    const count = t.count ?? d.count;
    const ipv4 = t.ipv4 ?? d.ipv4;
    tiers[name] = {
      name,
      kind: t.kind ?? d.kind,
      count,
      cores: t.cores ?? d.cores,
      memoryMiB: t.memoryMiB ?? d.memoryMiB,
      diskGiB: t.diskGiB ?? d.diskGiB,
      template: t.template,
      tags: t.tags ?? [],
      os: t.os ?? d.os,
      ipv4: ipv4 === "dhcp" ? { mode: "dhcp" } : { mode: "pool", pool: ipv4 },
      vmNames: Array.from({ length: count }, (_, i) => `${spec.name}-${name}-${i + 1}`),
      ...(t.userData ? { userData: t.userData } : {}),
      dataDisks: (t.dataDisks ?? []).map((d) => ({ sizeGiB: d.sizeGiB, ...(d.storage ? { storage: d.storage } : {}), encrypted: d.encrypted ?? true })),
      nics: (t.nics ?? []).map((n) => ({ bridge: n.bridge, ...(n.vlan !== undefined ? { vlan: n.vlan } : {}), firewall: n.firewall ?? true })),
      ...(t.features ? { features: { ...t.features } } : {}),
    };
  }

  return {
    name: spec.name,
    stage: spec.stage,
    nodes: spec.nodes,
    network,
    templates,
    containerTemplates,
    windowsInstallers,
    tiers,
    firewall: {
      allow: (spec.firewall?.allow ?? []).map((a) => ({ ...a, ranges: parsePort(a.port) })),
      expose: (spec.firewall?.expose ?? []).map((e) => ({ ...e, ranges: parsePort(e.port) })),
    },
    protection,
    backups,
    ha: {
      enabled: featureEnabled(stage.ha, spec.ha),
      maxRestart: spec.ha?.maxRestart ?? COMMON_DEFAULTS.haMaxRestart,
      maxRelocate: spec.ha?.maxRelocate ?? COMMON_DEFAULTS.haMaxRelocate,
    },
    placement: spec.placement ?? COMMON_DEFAULTS.placement,
    stateBackend: spec.stateBackend ?? COMMON_DEFAULTS.stateBackend,
    cloudInit: {
      user: spec.cloudInit.user,
      sshKeys: spec.cloudInit.sshKeys.map(sshKeyLine),
      sshKeyRecords: spec.cloudInit.sshKeys.map(sshKeyRecord),
      maxKeyAgeDays: spec.cloudInit.maxKeyAgeDays ?? stage.maxKeyAgeDays,
    },
    ...(spec.vmIdRange === undefined ? {} : { vmIdRange: { ...spec.vmIdRange } }),
    dataProtection: {
      diskUnlock: spec.dataProtection?.diskUnlock ?? "tang",
      tang: (spec.dataProtection?.tang ?? []).map((t) => ({ url: t.url, thumbprint: t.thumbprint })),
      threshold: spec.dataProtection?.threshold ?? 1,
    },
    weakenedDefaults,
    adopted: Object.fromEntries(
      Object.entries(spec.adopted ?? {}).map(([name, g]) => [
        name,
        {
          name,
          kind: g.kind ?? "vm",
          vmid: g.vmid,
          node: g.node,
          cores: g.cores,
          memoryMiB: g.memoryMiB,
          swapMiB: g.swapMiB ?? 0,
          disk: { interface: g.disk.interface ?? "scsi0", storage: g.disk.storage, sizeGiB: g.disk.sizeGiB },
          network: { bridge: g.network.bridge, ...(g.network.vlan !== undefined ? { vlan: g.network.vlan } : {}) },
          ipv4: g.ipv4 ?? "dhcp",
          ...(g.gateway !== undefined ? { gateway: g.gateway } : {}),
          ...(g.tier !== undefined ? { tier: g.tier } : {}),
          tags: g.tags ?? [],
          ...(g.pool !== undefined ? { pool: g.pool } : {}),
        },
      ]),
    ),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `backups.pbs` with its encryption default (PVE generates the key). */
function resolvePbs(p: PbsTarget): ResolvedPbsTarget {
  return {
    server: p.server,
    datastore: p.datastore,
    username: p.username,
    ...(p.fingerprint !== undefined ? { fingerprint: p.fingerprint } : {}),
    encryption: p.encryption === "none" ? { kind: "none", reason: p.unencryptedReason ?? "" } : { kind: "generate" },
  };
}
