import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { runPolicy } from "../../policy/check-policy";
import { renderJsonReport } from "../../policy/report-json";
import { renderMarkdownReport } from "../../policy/report-markdown";
import { toSarif } from "../../policy/report-sarif";
import { suppress } from "../../policy/suppress";
import { hardenedVm, newStack } from "./policy-fixtures";

const REASON = "legacy DHCP relay needs MAC spoofing";

/** Three VMs whose MAC filter is off (PVE-FW-009): relay-1 and relay-2 in the stack, relay-3 inside a group. */
function threeVms(): { stack: TerraformStack; group: Construct } {
  const { stack } = newStack("sup");
  const group = new Construct(stack, "relays");
  hardenedVm(stack, "relay-1", { firewall: { macFilter: false } });
  hardenedVm(stack, "relay-2", { firewall: { macFilter: false } });
  hardenedVm(group, "relay-3", { firewall: { macFilter: false } });
  return { stack, group };
}

const fw009 = (r: ReturnType<typeof runPolicy>) => r.findings.filter((f) => f.ruleId === "PVE-FW-009").map((f) => f.path);

describe("suppress", () => {
  it("hides the finding of the suppressed construct and lists it as suppressed with its reason in every report", () => {
    // GIVEN three VMs with MAC filter off, one suppressed
    const { stack } = threeVms();
    suppress(stack.node.findChild("relay-1"), "PVE-FW-009", { reason: REASON, expires: "2099-12-31" });
    // WHEN the policy runs
    const result = runPolicy(stack);
    // THEN that VM's finding moved to `suppressed`, the others still count
    expect(fw009(result)).toEqual(["sup/relay-2/firewall/options", "sup/relays/relay-3/firewall/options"]);
    expect(result.suppressed).toEqual([
      expect.objectContaining({
        ruleId: "PVE-FW-009",
        path: "sup/relay-1/firewall/options",
        suppression: { reason: REASON, expires: "2099-12-31", declaredAt: "sup/relay-1" },
      }),
    ]);
    expect(JSON.parse(renderJsonReport(result)).suppressed[0].suppression.reason).toBe(REASON);
    expect(renderMarkdownReport(result)).toContain(`| PVE-FW-009 | \`sup/relay-1/firewall/options\` | `);
    const sarif = toSarif(result).runs[0].results.filter((r) => r.suppressions);
    expect(sarif).toEqual([
      expect.objectContaining({
        ruleId: "PVE-FW-009",
        suppressions: [expect.objectContaining({ kind: "inSource", status: "accepted", justification: REASON })],
      }),
    ]);
  });

  it("applies to every child of the construct it is declared on", () => {
    // GIVEN a suppression on a group construct
    const { stack, group } = threeVms();
    suppress(group, ["PVE-FW-009"], { reason: REASON });
    // WHEN the policy runs THEN the VM inside the group is suppressed, the others are not
    const result = runPolicy(stack);
    expect(result.suppressed.map((f) => f.path)).toEqual(["sup/relays/relay-3/firewall/options"]);
    expect(fw009(result)).toEqual(["sup/relay-1/firewall/options", "sup/relay-2/firewall/options"]);
  });

  it("brings the finding back after its expiry date and reports the expired suppression itself", () => {
    // GIVEN a suppression that expired on 2026-11-30, judged on 2026-12-01
    const { stack } = threeVms();
    suppress(stack.node.findChild("relay-1"), "PVE-FW-009", { reason: REASON, expires: "2026-11-30" });
    // WHEN the policy runs
    const result = runPolicy(stack, { now: new Date("2026-12-01T00:00:00Z") });
    // THEN the finding counts again and PVE-SUP-001 names the stale suppression
    expect(fw009(result)).toContain("sup/relay-1/firewall/options");
    expect(result.suppressed).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === "PVE-SUP-001")).toEqual([
      expect.objectContaining({ path: "sup/relay-1", severity: "warning", message: expect.stringContaining("expired on 2026-11-30") }),
    ]);
  });

  it("still applies on its last day", () => {
    const { stack } = threeVms();
    suppress(stack.node.findChild("relay-1"), "PVE-FW-009", { reason: REASON, expires: "2026-11-30" });
    const result = runPolicy(stack, { now: new Date("2026-11-30T23:59:59Z") });
    expect(result.suppressed.map((f) => f.path)).toEqual(["sup/relay-1/firewall/options"]);
    expect(result.findings.some((f) => f.ruleId === "PVE-SUP-001")).toBe(false);
  });

  it.each<[string, Parameters<typeof suppress>[1], Parameters<typeof suppress>[2], RegExp]>([
    ["a reason shorter than 10 characters", "PVE-FW-009", { reason: "  legacy  " }, /reason "legacy" is 6 characters — explain in at least 10/],
    ["an unknown rule id", "PVE-FW-099", { reason: REASON }, /unknown rule id "PVE-FW-099" — did you mean PVE-FW-001/],
    ["a date that does not exist", "PVE-FW-009", { reason: REASON, expires: "2027-02-30" }, /expires "2027-02-30" is not a date — write it as YYYY-MM-DD/],
    ["a date in another format", "PVE-FW-009", { reason: REASON, expires: "31.01.2027" }, /expires "31.01.2027" is not a date/],
    ["the expired-suppression rule itself", "PVE-SUP-001", { reason: REASON }, /PVE-SUP-001 reports expired suppressions and cannot itself be suppressed/],
    ["an empty id list", [], { reason: REASON }, /no rule id given/],
  ])("throws at call time on %s", (_what, ids, options, message) => {
    const { stack } = newStack("bad");
    expect(() => suppress(stack, ids, options)).toThrow(message);
  });
});
