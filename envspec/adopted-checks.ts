import { asInt, asList, asMap, asString, RawMap, tierCount } from "./raw-access";
import type { SpecIssue } from "./spec-issue";
import { unknownName } from "./cross-checks";

/**
 * Rules of `adopted` guests that relate fields: the node is one of the environment's, the id is
 * inside `vmIdRange` (when set) and used once, the name is not one a tier gives its VMs, the tier
 * exists and is of the guest's kind (vm or container; never a Windows tier), a container has a static address and no disk interface, a VM no swap.
 */
export function adoptedChecks(spec: RawMap): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const adopted = asMap(spec.adopted) ?? {};
  const nodes = asList(spec.nodes).filter((n): n is string => typeof n === "string");
  const tiers = asMap(spec.tiers) ?? {};
  const envName = asString(spec.name) ?? "";
  const tierVmNames = new Set(Object.entries(tiers).flatMap(([t, tier]) => Array.from({ length: tierCount(tier) ?? 0 }, (_, i) => `${envName}-${t}-${i + 1}`)));
  const range = asMap(spec.vmIdRange);
  const start = asInt(range?.start);
  const end = asInt(range?.end);
  const seenIds = new Map<number, string>();
  for (const [name, raw] of Object.entries(adopted)) {
    const g = asMap(raw);
    if (!g) continue;
    const at = (field: string, message: string) => issues.push({ path: ["adopted", name, field], message, at: "value" });
    if (tierVmNames.has(name))
      issues.push({ path: ["adopted", name], message: `"${name}" is the name of a tier's VM; give the adopted guest another name`, at: "key" });
    const node = asString(g.node);
    if (node !== undefined && nodes.length > 0 && !nodes.includes(node)) at("node", unknownName("node", node, nodes));
    const vmid = asInt(g.vmid);
    if (vmid !== undefined) {
      if (start !== undefined && end !== undefined && (vmid < start || vmid > end))
        at("vmid", `must be inside vmIdRange ${start}..${end}, got ${vmid}; widen vmIdRange or leave the guest out`);
      const other = seenIds.get(vmid);
      if (other !== undefined) at("vmid", `${vmid} is already the id of adopted guest "${other}"; a guest is adopted once`);
      else seenIds.set(vmid, name);
    }
    const tier = asString(g.tier);
    if (tier !== undefined && !(tier in tiers)) at("tier", unknownName("tier", tier, Object.keys(tiers)));
    else if (tier !== undefined) {
      // The inventory gives a tier's hosts the tier's login and guest type: the kinds must agree.
      const t = asMap(tiers[tier]);
      const tierKind = t?.os === "windows" ? "windows" : t?.kind === "container" ? "container" : "vm";
      const kind = g.kind === "container" ? "container" : "vm";
      if (tierKind === "windows") at("tier", `tier "${tier}" is a Windows tier; an adopted guest joins a Linux tier of its kind (${kind}) or none`);
      else if (tierKind !== kind)
        at(
          "tier",
          `tier "${tier}" is a ${tierKind} tier and this adopted guest is a ${kind}; it joins a tier of its own kind (its login and guest type come from the tier) or none`,
        );
    }
    const ipv4 = asString(g.ipv4) ?? "dhcp";
    if (g.gateway !== undefined && ipv4 === "dhcp") at("gateway", "needs a static ipv4 (a DHCP guest gets its gateway from DHCP); remove gateway or set ipv4");
    if (g.kind === "container") {
      if (ipv4 === "dhcp")
        at("ipv4", "a container needs a static address (bpg/proxmox's DHCP address of a container is not reliable enough to be a firewall peer)");
      if (asMap(g.disk)?.interface !== undefined)
        issues.push({
          path: ["adopted", name, "disk", "interface"],
          message: "a container has a root file system, not a disk interface; remove it",
          at: "key",
        });
    } else if (g.swapMiB !== undefined) {
      at("swapMiB", "swap is a container setting; remove it from a VM");
    }
  }
  return issues;
}
