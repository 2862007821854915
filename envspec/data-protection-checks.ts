import { asList, asMap, RawMap } from "./raw-access";
import type { SpecIssue } from "./spec-issue";

/**
 * An encrypted data disk (the default) unlocks at boot by the environment's `dataProtection`: with
 * tang (the default) the guests need tang servers to bind to, or the disk would be formatted with
 * nothing able to open it unattended.
 */
export function dataProtectionChecks(spec: RawMap): SpecIssue[] {
  const protection = asMap(spec.dataProtection);
  if ((protection?.diskUnlock ?? "tang") !== "tang" || asList(protection?.tang).length > 0) return [];
  for (const [tierName, raw] of Object.entries(asMap(spec.tiers) ?? {})) {
    const tier = asMap(raw);
    if (tier?.kind === "container") continue;
    const i = asList(tier?.dataDisks).findIndex((d) => asMap(d)?.encrypted !== false);
    if (i < 0) continue;
    return [
      {
        path: ["tiers", tierName, "dataDisks", i],
        at: "key",
        message:
          'is encrypted (the default) and unlocks with tang, but dataProtection lists no tang servers; add "dataProtection: { tang: [{ url: http://<tang server>, thumbprint: <tang-show-keys> }] }", or diskUnlock: tpm2 to bind the disks to each VM\'s virtual TPM',
      },
    ];
  }
  return [];
}
