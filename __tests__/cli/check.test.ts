/**
 * `proxmox-cdk check <env>` as users run it (a CLI process in a project folder): the policy pack's
 * findings as Markdown, JSON or SARIF, with the exit code a CI job acts on.
 */
import * as fs from "fs";
import * as path from "path";
import { runCli, tempProject } from "../e2e/environments/cli-project";
import { officialValidator, sarifValidator } from "../policy/sarif-validators";

const EXPOSED = fs.readFileSync(path.join(__dirname, "fixtures", "exposed.yaml"), "utf8");

/** 1-based line and column of the first line of `text` that is exactly `line` after its indentation. */
function positionOf(text: string, line: string): { line: number; col: number } {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.trim() === line);
  if (i < 0) throw new Error(`fixture has no line ${JSON.stringify(line)}`);
  return { line: i + 1, col: lines[i].indexOf(line) + 1 };
}

describe("proxmox-cdk check", () => {
  it("exits 0 and reports no findings for a shipped environment", async () => {
    // GIVEN a project with the shipped dev environment
    const project = tempProject(["dev"]);
    // WHEN checking it as on a fixed day: the shipped keys are dated 2026-12-01 and PVE-CI-005 rightly
    // warns once they are older than dev's 730 days, so "today" would make this test fail from 2028-12-01
    const r = await runCli(project, ["check", "dev", "--as-of", "2026-12-02"]);
    // THEN the Markdown report says there are no findings and the exit code is 0
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
    expect(r.stdout).toContain("**0 error(s), 0 warning(s), 0 info(s), 0 suppressed**");
    expect(r.stdout).toContain("No findings.");
  }, 120_000);

  it("warns about a key older than the environment allows when judged as on a later day with --as-of", async () => {
    // GIVEN the shipped dev environment, whose key was added 2026-12-01 (dev allows 730 days)
    const project = tempProject(["dev"]);
    // WHEN checking it as on a day past the key's last allowed day
    const r = await runCli(project, ["check", "dev", "--as-of", "2028-12-02", "--format", "json"]);
    // THEN PVE-CI-005 warns about that key (a warning: exit 0)
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; message: string }[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["PVE-CI-005", "warning"]]);
    expect(findings[0].message).toContain("was added 2026-12-01, 732 days ago; at most 730 are allowed.");
  }, 120_000);

  it("refuses an --as-of that is not a calendar date", async () => {
    const r = await runCli(tempProject(["dev"]), ["check", "dev", "--as-of", "2028-02-30"]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('--as-of "2028-02-30" is not a date: write it as YYYY-MM-DD');
  }, 120_000);

  it("exits 2 on SSH open to 0.0.0.0/0 and writes valid SARIF pointing at the tier's YAML line", async () => {
    // GIVEN a spec that exposes the bastion's SSH to the whole internet
    const project = tempProject({ "exposed.yaml": EXPOSED });
    const out = path.join(project.root, "reports", "policy.sarif");

    // WHEN checking it for code scanning
    const r = await runCli(project, ["check", "exposed", "--format", "sarif", "--out", out]);

    // THEN it exits 2, prints no report and writes SARIF that both schemas accept
    expect([r.exitCode, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toContain("1 error-level finding(s); report written to");
    const log = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(officialValidator(log)).toBe(true);
    expect(sarifValidator.safeParse(log).error?.issues ?? []).toEqual([]);
    // AND the finding sits at the bastion tier's line, by a path relative to the repository root
    const ssh = log.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === "PVE-FW-006");
    const at = positionOf(EXPOSED, "bastion:");
    expect(ssh).toHaveLength(1);
    expect(ssh[0].level).toBe("error");
    expect(ssh[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "environments/exposed.yaml" },
      region: { startLine: at.line, startColumn: at.col },
    });
    expect(ssh[0].message.text).toMatch(/opens SSH .* Fix: /);
    // AND no temporary file is left next to the report
    expect(fs.readdirSync(path.dirname(out))).toEqual(["policy.sarif"]);
  }, 120_000);

  it("writes the JSON report with the spec position relative to the project", async () => {
    const project = tempProject({ "exposed.yaml": EXPOSED });
    // (as on a fixed day: the summary counts warnings, and the fixture's key, dated 2026-12-01, outlives its 3650 days one day)
    const r = await runCli(project, ["check", "exposed", "--format", "json", "--as-of", "2026-12-02"]);
    expect(r.exitCode).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, infos: 0, suppressed: 0 });
    expect(report.findings[0]).toMatchObject({ ruleId: "PVE-FW-006", source: { file: "environments/exposed.yaml", ...positionOf(EXPOSED, "bastion:") } });
  }, 120_000);

  it("refuses a report format it does not have with a usage error (exit 64)", async () => {
    const project = tempProject(["dev"]);
    const r = await runCli(project, ["check", "dev", "--format", "xml"]);
    expect([r.exitCode, r.stdout]).toEqual([64, ""]);
    expect(r.stderr).toContain('--format "xml" is not a report format: use one of markdown, json, sarif.');
  }, 120_000);
});
