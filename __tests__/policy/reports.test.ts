import { ClusterFirewall } from "../../constructs/cluster-firewall";
import { Port } from "../../constructs/port";
import { runPolicy } from "../../policy/check-policy";
import { PolicyResult } from "../../policy/finding";
import { renderJsonReport } from "../../policy/report-json";
import { renderMarkdownReport } from "../../policy/report-markdown";
import { renderSarif, toSarif } from "../../policy/report-sarif";
import { ALL_RULES } from "../../policy/rules";
import { setSourceLocation } from "../../policy/source-location";
import { suppress } from "../../policy/suppress";
import { hardenedVm, newStack } from "./policy-fixtures";
import { officialValidator, sarifValidator } from "./sarif-validators";

/** SSH open on a VM declared at a spec position; three VMs without MAC filter, two of them suppressed. */
function result(): PolicyResult {
  const { stack } = newStack("env");
  new ClusterFirewall(stack, "fw");
  const web = hardenedVm(stack, "web", { ipv4: { address: "10.20.0.11/24" }, firewall: { macFilter: false } });
  web.connections.allowFromAnyIpv4(Port.SSH);
  setSourceLocation(web, { file: "environments/prod env.yaml", line: 14, col: 9 });
  suppress(web, "PVE-FW-009", { reason: "legacy DHCP relay needs MAC spoofing", expires: "2099-01-31" });
  hardenedVm(stack, "relay", { firewall: { macFilter: false } });
  const relay2 = hardenedVm(stack, "relay-2", { firewall: { macFilter: false } });
  suppress(relay2, "PVE-FW-009", { reason: "second relay, same exception as the first one" });
  return runPolicy(stack);
}

describe("SARIF report", () => {
  it("validates against the official SARIF 2.1.0 JSON schema", () => {
    const log = JSON.parse(renderSarif(result()));
    const valid = officialValidator(log);
    expect(officialValidator.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("is rejected by the official schema when a required property is missing (the validator is not vacuous)", () => {
    const log = JSON.parse(renderSarif(result()));
    delete log.runs[0].tool.driver.name;
    expect(officialValidator(log)).toBe(false);
  });

  it("validates against the stricter SARIF 2.1.0 subset", () => {
    // GIVEN a policy result with physical, logical and suppressed results WHEN rendered as SARIF
    const log = JSON.parse(renderSarif(result()));
    // THEN the schema accepts it
    const parsed = sarifValidator.safeParse(log);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it.each<[string, (log: any) => void]>([
    ["a missing version", (log) => delete log.version],
    ["a result level SARIF does not define", (log) => (log.runs[0].results[0].level = "info")],
    [
      "a region starting at line 0",
      (log) => (log.runs[0].results.find((r: any) => r.locations[0].physicalLocation).locations[0].physicalLocation.region.startLine = 0),
    ],
    ["a rule without id", (log) => delete log.runs[0].tool.driver.rules[0].id],
    ["a message without text or id", (log) => (log.runs[0].results[0].message = {})],
    ["a suppression of an unknown kind", (log) => (log.runs[0].results.find((r: any) => r.suppressions).suppressions[0].kind = "inline")],
    ["a property outside the schema", (log) => (log.runs[0].tool.driver.rules[0].severity = "high")],
  ])("rejects %s (the validator is not vacuous)", (_what, corrupt) => {
    const log = JSON.parse(renderSarif(result()));
    corrupt(log);
    expect(sarifValidator.safeParse(log).success).toBe(false);
  });

  it("describes every evaluated rule with its remediation as help, its level and its mappings as tags", () => {
    const rules = toSarif(result()).runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    const fw006 = rules.find((r) => r.id === "PVE-FW-006")!;
    expect(fw006).toMatchObject({
      help: { text: ALL_RULES.find((r) => r.id === "PVE-FW-006")!.remediation },
      defaultConfiguration: { level: "error" },
      properties: { tags: expect.arrayContaining(["CIS Controls v8 4.4"]) },
    });
    expect(rules.find((r) => r.id === "PVE-OPS-006")!.defaultConfiguration.level).toBe("note");
  });

  it("points at the spec line when the construct has a source location, else at the construct path", () => {
    const results = toSarif(result(), { baseDirectory: "/repo" }).runs[0].results;
    const ssh = results.find((r) => r.ruleId === "PVE-FW-006")!;
    expect(ssh.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: "environments/prod%20env.yaml" }, region: { startLine: 14, startColumn: 9 } },
      logicalLocations: [{ fullyQualifiedName: "env/web/firewall/rules", kind: "resource" }],
    });
    const relay = results.find((r) => r.ruleId === "PVE-FW-009" && !r.suppressions)!;
    expect(relay.locations[0]).toEqual({ logicalLocations: [{ fullyQualifiedName: "env/relay/firewall/options", kind: "resource" }] });
    expect(ssh.ruleIndex).toBe(ALL_RULES.findIndex((r) => r.id === "PVE-FW-006"));
  });
});

describe("JSON and Markdown reports", () => {
  it("count findings per severity and list suppressed ones apart", () => {
    const r = result();
    const json = JSON.parse(renderJsonReport(r, { toolVersion: "0.1.0" }));
    expect(json.tool).toEqual({ name: "proxmox-cdk policy", version: "0.1.0" });
    expect(json.summary).toEqual({ errors: 1, warnings: 1, infos: 0, suppressed: 2 });
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["PVE-FW-006", "PVE-FW-009"]);
  });

  it("render a Markdown table with the spec position and the fix", () => {
    const md = renderMarkdownReport(result(), "prod");
    expect(md).toContain("**1 error(s), 1 warning(s), 0 info(s), 2 suppressed**");
    expect(md).toMatch(
      /\| error \| PVE-FW-006 \| `env\/web\/firewall\/rules` \(environments\/prod env\.yaml:14:9\) \| rule #1 \(in ACCEPT tcp\/22 from 0\.0\.0\.0\/0\)/,
    );
    expect(md).toContain("## Suppressed");
    expect(md).toContain("| second relay, same exception as the first one | never |");
  });
});
