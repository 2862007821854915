import { appliesLive } from "../../policy/rule";
import { ALL_RULES } from "../../policy/rules";
import { scanSnapshot } from "../../scan/scan-snapshot";
import { LIVE_CASES } from "./cases/live-cases";
import { DEFAULT_STORAGES, liveCluster, prodCluster, prodVm } from "./live-fixtures";

describe("live rule fixtures", () => {
  it("give every rule that applies to live configuration its own live fixture, and no Terraform-only rule one", () => {
    // GIVEN the registry WHEN listing the live cases THEN each live-applicable rule id has exactly one
    expect(LIVE_CASES.map((c) => c.ruleId).sort()).toEqual(
      ALL_RULES.filter(appliesLive)
        .map((r) => r.id)
        .sort(),
    );
  });

  it("mark each Terraform-only rule with the reason scan skips it", () => {
    // GIVEN the registry WHEN scanning THEN every skipped rule is listed with a sentence
    const { notApplied, policy } = scanSnapshot(liveCluster());
    expect(notApplied.map((n) => n.ruleId).sort()).toEqual(
      ALL_RULES.filter((r) => !appliesLive(r))
        .map((r) => r.id)
        .sort(),
    );
    for (const n of notApplied) expect(n.reason.length).toBeGreaterThan(20);
    expect(policy.ruleIds).toEqual(ALL_RULES.filter(appliesLive).map((r) => r.id));
  });

  it("find nothing on the compliant baseline cluster", () => {
    // GIVEN the baseline every fixture starts from WHEN scanned THEN no rule reports anything
    expect(scanSnapshot(liveCluster()).policy.findings).toEqual([]);
  });
});

describe.each(LIVE_CASES.map((c) => [c.ruleId, c] as const))("%s on live configuration", (ruleId, c) => {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;

  it.each(Object.entries(c.bad))("reports %s", (_name, snapshot) => {
    // GIVEN a cluster configuration that breaks the rule WHEN scanned
    const found = scanSnapshot(snapshot).policy.findings.filter((f) => f.ruleId === ruleId);
    // THEN the rule reports it, decided (not "could not evaluate"), at a live object's path
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f).toMatchObject({ severity: rule.severity, remediation: rule.remediation });
      expect(f.couldNotEvaluate).toBeUndefined();
      expect(f.path).toMatch(/^pve\/(nodes|cluster|access)\//);
    }
  });

  it("stays quiet on the compliant configuration", () => {
    // GIVEN the closest compliant configuration WHEN scanned THEN the rule reports nothing
    expect(scanSnapshot(c.good).policy.findings.filter((f) => f.ruleId === ruleId)).toEqual([]);
  });
});

describe("PVE-OPS-009 on a live backup storage the scan cannot judge", () => {
  it.each([
    ["a storage GET /storage does not list (the token may not audit it)", DEFAULT_STORAGES],
    [
      "a cephfs storage (no provider resource to map it to)",
      [...DEFAULT_STORAGES, { storage: "pbs", type: "cephfs", path: "/mnt/pve/pbs", content: "backup" }],
    ],
  ])("is could-not-evaluate for %s, never a pass", (_name, storages) => {
    // GIVEN a prod job onto storage "pbs" that no mapped storage definition names
    const snapshot = prodCluster([prodVm(100)], { storages });
    // WHEN scanned THEN PVE-OPS-009 reports the job's storage as not evaluable, at error level
    expect(scanSnapshot(snapshot).policy.findings.filter((f) => f.ruleId === "PVE-OPS-009")).toEqual([
      expect.objectContaining({ severity: "error", couldNotEvaluate: "storage", path: "pve/cluster/backup-backup-daily" }),
    ]);
  });
});
