import { ALL_RULES } from "../../policy/rules";
import { ACCESS_CASES } from "./cases/access-cases";
import { CONTAINER_CASES } from "./cases/container-cases";
import { FIREWALL_CASES } from "./cases/firewall-cases";
import { OPS_CASES } from "./cases/ops-cases";
import { VM_CASES } from "./cases/vm-cases";
import { findingsOf, stackWith } from "./policy-fixtures";

const CASES = [...FIREWALL_CASES, ...VM_CASES, ...OPS_CASES, ...ACCESS_CASES, ...CONTAINER_CASES];

describe("rule fixtures", () => {
  it("give every built-in rule its own non-compliant and compliant fixture", () => {
    // GIVEN the registry WHEN listing the cases THEN each rule id has exactly one case
    expect(CASES.map((c) => c.ruleId).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });
});

describe.each(CASES.map((c) => [c.ruleId, c] as const))("%s", (ruleId, c) => {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;

  it.each(Object.entries(c.bad))("reports %s", (_name, build) => {
    // GIVEN a stack that breaks the rule
    const stack = stackWith(build);
    // WHEN the policy runs THEN the rule reports it, with its severity and remediation
    const found = findingsOf(stack, ruleId, c.options);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f).toMatchObject({ severity: rule.severity, remediation: rule.remediation });
      expect(f.path.startsWith("policy")).toBe(true);
      expect(f.message.length).toBeGreaterThan(20);
    }
  });

  it("stays quiet on the compliant fixture", () => {
    // GIVEN the closest compliant stack WHEN the policy runs THEN the rule reports nothing
    expect(findingsOf(stackWith(c.good), ruleId, c.options)).toEqual([]);
  });
});
