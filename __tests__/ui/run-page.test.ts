import type { ConsoleRun } from "../../ui/console-runs";
import { runPage } from "../../ui/pages/run-page";

const run = (over: Partial<ConsoleRun>): ConsoleRun => ({ id: "r1", env: "qa", action: "plan", lines: [], state: "done", ...over });

describe("run page", () => {
  it("asks for the environment name before deploying a plan that destroys something", () => {
    // GIVEN a plan that destroys a VM
    const page = runPage(
      run({
        outcome: {
          summary: "Plan: 0 to add, 0 to change, 1 to destroy.",
          changes: ["delete vm"],
          destructive: ["destroy qa/web-1 (proxmox_virtual_environment_vm.x)"],
        },
      }),
      "csrf-1",
    );

    // THEN the deploy form has a labelled confirmation field and the list
    expect(page).toMatch(
      /<label for="confirm">This destroys or replaces resources\. Type the environment name \(qa\) to confirm<\/label><input id="confirm" name="confirm"/,
    );
    expect(page).toContain("<li>destroy qa/web-1 (proxmox_virtual_environment_vm.x)</li>");
    expect(page).toContain('<input type="hidden" name="csrf" value="csrf-1">');
  });

  it("deploys a plan that destroys nothing without a confirmation field", () => {
    const page = runPage(run({ outcome: { summary: "Plan: 1 to add, 0 to change, 0 to destroy.", changes: ["create vm"], destructive: [] } }), "c");
    expect(page).toContain('action="/env/qa/deploy"');
    expect(page).not.toContain('id="confirm"');
  });

  it("streams a running run's log from its events address and escapes every log line", () => {
    const page = runPage(run({ state: "running", lines: ["<img src=x onerror=alert(1)>"] }), "c");
    expect(page).toContain('data-events="/runs/r1/events" data-state="running"');
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain('<script src="/static/console.js" defer></script>');
    expect(page).not.toContain("<img");
  });
});
