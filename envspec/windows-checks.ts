import { WINDOWS_MINIMUMS, WINDOWS_NAME_MAX_LENGTH } from "../constructs/windows-requirements";
import { unknownName } from "./cross-checks";
import { DNS_LABEL } from "./identifiers";
import { LIMITS } from "./limits";
import { asInt, asList, asMap, asString, RawMap, tierCount } from "./raw-access";
import type { SpecIssue } from "./spec-issue";

/** Tier fields a Windows tier does not take, with why. */
const LINUX_ONLY: Readonly<Record<string, string>> = {
  userData: "custom cloud-init user data is for Linux guests; a Windows VM boots its installer ISO and gets no cloud-init",
  dataDisks:
    "data disks are encrypted in the guest by the Linux luks_data_disk role, which does not reach Windows (BitLocker is not managed); add the disk in Windows' own tooling or use a Linux tier",
  nics: "extra NICs are not built on Windows tiers yet; add them with the WindowsVm construct or in a Linux tier",
};

/** Whether a raw tier is a Windows VM tier. */
export function isWindowsTier(tier: unknown): boolean {
  const t = asMap(tier);
  return t?.os === "windows" && t.kind !== "container";
}

/**
 * Rules of Windows tiers (`os: windows`): the template is a key of `windowsInstallers` (a Linux
 * tier's is a key of `templates`, checked with the references), the sizes reach Windows 11's
 * minimums, every VM name fits a NetBIOS name, no Linux-only field, and a tier without a static
 * pool is not the source of an allow intent (its addresses are unknown: no agent runs before
 * Windows is installed, so no rule could name them).
 */
export function windowsChecks(spec: RawMap): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const installers = Object.keys(asMap(spec.windowsInstallers) ?? {});
  if (installers.length > LIMITS.templates) {
    issues.push({ path: ["windowsInstallers"], message: `must define at most ${LIMITS.templates} Windows installers, got ${installers.length}`, at: "value" });
  }
  const envName = DNS_LABEL.test(asString(spec.name) ?? "") ? asString(spec.name) : undefined;
  const tiers = asMap(spec.tiers) ?? {};
  for (const [tierName, raw] of Object.entries(tiers)) {
    if (!isWindowsTier(raw)) continue;
    const tier = asMap(raw)!;
    for (const [field, why] of Object.entries(LINUX_ONLY)) {
      if (field in tier) issues.push({ path: ["tiers", tierName, field], message: `is not allowed on a Windows tier: ${why}; remove it`, at: "key" });
    }
    const template = asString(tier.template);
    if (template !== undefined && !installers.includes(template)) {
      const cloudImage = Object.keys(asMap(spec.templates) ?? {}).includes(template)
        ? ` ("${template}" is a cloud image under templates; a Windows tier boots an installer ISO listed under windowsInstallers)`
        : "";
      issues.push({ path: ["tiers", tierName, "template"], message: unknownName("Windows installer", template, installers) + cloudImage, at: "value" });
    }
    for (const field of ["cores", "memoryMiB", "diskGiB"] as const) {
      const value = asInt(tier[field]);
      const min = WINDOWS_MINIMUMS[field];
      if (value !== undefined && value < min) {
        issues.push({
          path: ["tiers", tierName, field],
          message: `must be at least ${min} on a Windows tier (Windows 11's minimum), got ${value}`,
          at: "value",
        });
      }
    }
    const count = tierCount(raw);
    const longest = `${envName}-${tierName}-${count}`;
    if (envName !== undefined && count !== undefined && longest.length > WINDOWS_NAME_MAX_LENGTH) {
      issues.push({
        path: ["tiers", tierName],
        message: `Windows VM name "${longest}" would have ${longest.length} characters, more than ${WINDOWS_NAME_MAX_LENGTH} (a NetBIOS computer name); shorten the tier or environment name`,
        at: "key",
      });
    }
    const ipv4 = tier.ipv4;
    if (ipv4 === undefined || ipv4 === "dhcp") {
      asList(asMap(spec.firewall)?.allow).forEach((intent, i) => {
        if (asString(asMap(intent)?.from) !== tierName) return;
        issues.push({
          path: ["firewall", "allow", i, "from"],
          message: `Windows tier "${tierName}" takes its addresses by DHCP, so no rule can name them as a source; give the tier a static ipv4 pool (and set the same addresses in Windows) or remove this intent`,
          at: "value",
        });
      });
    }
  }
  return issues;
}
