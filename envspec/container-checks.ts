import { LIMITS } from "./limits";
import { asMap, asString, RawMap } from "./raw-access";
import type { SpecIssue } from "./spec-issue";
import { unknownName } from "./cross-checks";

/** Tier fields only a VM tier takes, with why. */
const VM_ONLY: Readonly<Record<string, string>> = {
  os: "containers are Linux; the OS comes from the container template",
  userData: "custom cloud-init user data is for VMs; a container is set up by PVE from its template",
  dataDisks: "data disks are for VMs; give a container a bigger diskGiB",
  nics: "extra NICs are for VMs",
};

/** Tier fields only a container tier takes. */
const CONTAINER_ONLY: Readonly<Record<string, string>> = {
  features: "container features (nesting, keyctl) are for kind: container",
};

/**
 * Rules of container tiers (`kind: container`): the template is a key of `containerTemplates`, the
 * address a static pool (bpg/proxmox's DHCP address of a container is not reliable enough to be a
 * firewall peer, see HardenedContainer), and no VM-only field; a VM tier takes no container-only
 * field; a container template no tier uses is not an error.
 */
export function containerChecks(spec: RawMap): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const containerTemplates = Object.keys(asMap(spec.containerTemplates) ?? {});
  if (containerTemplates.length > LIMITS.templates) {
    issues.push({
      path: ["containerTemplates"],
      message: `must define at most ${LIMITS.templates} container templates, got ${containerTemplates.length}`,
      at: "value",
    });
  }
  for (const [tierName, raw] of Object.entries(asMap(spec.tiers) ?? {})) {
    const tier = asMap(raw);
    if (tier === undefined) continue;
    const isContainer = tier.kind === "container";
    const refused = isContainer ? VM_ONLY : CONTAINER_ONLY;
    for (const [field, why] of Object.entries(refused)) {
      if (field in tier) {
        issues.push({
          path: ["tiers", tierName, field],
          message: `is not allowed on a ${isContainer ? "container" : "VM"} tier: ${why}; remove it`,
          at: "key",
        });
      }
    }
    if (!isContainer) continue;
    const template = asString(tier.template);
    if (template !== undefined && !containerTemplates.includes(template)) {
      issues.push({ path: ["tiers", tierName, "template"], message: unknownName("container template", template, containerTemplates), at: "value" });
    }
    const ipv4 = tier.ipv4;
    if (ipv4 === undefined || ipv4 === "dhcp") {
      issues.push({
        path: ipv4 === undefined ? ["tiers", tierName] : ["tiers", tierName, "ipv4"],
        message:
          "a container tier needs a static ipv4 pool (e.g. ipv4: 10.30.0.32/28): bpg/proxmox reads a container's DHCP address with a 10-second wait and records none when the lease is late, which would empty its firewall entries",
        at: ipv4 === undefined ? "key" : "value",
      });
    }
  }
  return issues;
}
