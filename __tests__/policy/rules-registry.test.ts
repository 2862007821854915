import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { SEVERITIES } from "../../policy/finding";
import { ALL_RULES } from "../../policy/rules";
import { renderRulesDoc } from "../../policy/rules-doc";

const RULES_DIR = path.join(__dirname, "..", "..", "policy", "rules");

describe("rule registry", () => {
  it("registers every file of policy/rules, each exporting the rule whose id is the file name", async () => {
    // GIVEN the rule files WHEN loading each THEN its rule id equals its file name and it is registered
    const files = readdirSync(RULES_DIR).filter((f) => /^PVE-.*\.ts$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const file of files) {
      const { rule } = await import(path.join(RULES_DIR, file));
      expect(rule.id).toBe(file.replace(/\.ts$/, ""));
      expect(ALL_RULES).toContain(rule);
    }
    expect(ALL_RULES).toHaveLength(files.length);
  });

  it("gives every rule a severity, a one-line description, a remediation sentence and well-formed mappings", () => {
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^PVE-[A-Z]+-\d{3}$/);
      expect(SEVERITIES).toContain(rule.severity);
      expect(rule.description).toMatch(/^[A-Z].{20,}\.$/);
      expect(rule.description).not.toContain("\n");
      expect(rule.remediation).toMatch(/^[A-Z].{15,}\.$/);
      for (const m of rule.mappings) expect(m.control).toMatch(/^(\d+\.\d+|sshd-\d{2})$/);
    }
  });
});

describe("docs/RULES.md", () => {
  it("is the committed output of scripts/generate-rules-doc.ts for the current rules", () => {
    // GIVEN the committed file WHEN regenerating THEN nothing changes (run the script after editing a rule)
    const committed = readFileSync(path.join(__dirname, "..", "..", "docs", "RULES.md"), "utf8");
    expect(committed).toBe(renderRulesDoc());
  });

  it("has one table row per rule with its id, severity and mappings", () => {
    const doc = renderRulesDoc();
    for (const rule of ALL_RULES) expect(doc).toContain(`| ${rule.id} | ${rule.severity} | `);
    expect(doc).toContain("| PVE-CI-003 | error | ");
    expect(doc).toMatch(/PVE-CI-003 .*DevSec SSH Baseline sshd-06/);
  });
});
