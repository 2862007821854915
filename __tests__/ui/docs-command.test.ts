/**
 * `proxmox-cdk docs <env>` as a user runs it: the CLI in its own process on a throwaway project.
 */
import * as fs from "fs";
import * as path from "path";
import { runCli, tempProject } from "../e2e/environments/cli-project";

describe("proxmox-cdk docs", () => {
  it("writes the environment's Markdown to the file named by -o and nothing to standard output", async () => {
    // GIVEN a project with dev, never deployed
    const project = tempProject(["dev"]);

    // WHEN docs runs with -o
    const r = await runCli(project, ["docs", "dev", "-o", "runbook/dev.md"]);

    // THEN the file holds the documentation, the Mermaid flows and the guests' state
    expect([r.exitCode, r.stdout, r.stderr.trim()]).toEqual([0, "", "docs dev: wrote runbook/dev.md"]);
    const md = fs.readFileSync(path.join(project.root, "runbook", "dev.md"), "utf8");
    expect(md.split("\n")[0]).toBe("# Environment dev");
    expect(md).toContain("```mermaid\nflowchart LR\n");
    expect(md).toContain("Not deployed yet (no state): run `proxmox-cdk up dev`.");
    expect(md).toContain("## Policy\n\nPasses every rule of the policy pack.");
  }, 120_000);

  it("refuses an environment that does not exist, naming the file", async () => {
    const project = tempProject(["dev"]);
    const r = await runCli(project, ["docs", "nope"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("environments/nope.yaml");
    expect(r.stdout).toBe("");
  }, 120_000);
});
