import * as fs from "fs";
import * as path from "path";
import { DRAFT_EXIT, workflowPlanner } from "../../ai/draft";
import { startFakeOllama } from "../../ai/testing/fake-ollama";
import type { Target } from "../../deploy/target";
import { RunningSimulator, startSimulator } from "../../sim";
import { factsOf, runDraft, shopSpec, tempProject } from "./fixtures";

/** The same target resolveTarget builds for the embedded simulator, for one already running. */
function simulatorTarget(sim: RunningSimulator): Target {
  return {
    env: {
      PROXMOX_VE_ENDPOINT: sim.endpoint,
      PROXMOX_VE_API_TOKEN: sim.apiToken,
      PROXMOX_VE_INSECURE: "false",
      SSL_CERT_FILE: sim.caCertPath,
      // The prod draft defines the site's encrypted PBS target (from prod.yaml), whose password only the environment holds.
      TF_VAR_pbs_password: "pbs-secret-from-the-environment",
    },
    description: `test simulator at ${sim.endpoint}`,
    simulated: true,
    stop: () => Promise.resolve(),
  };
}

describe("draft with the real plan step", () => {
  it("plans the drafted environment against the simulator with terraform", async () => {
    // GIVEN a good answer and a running simulator with the site's nodes
    const root = tempProject();
    const facts = factsOf(root);
    const fake = await startFakeOllama({ replies: [{ content: JSON.stringify(shopSpec(facts)) }] });
    const sim = await startSimulator({ nodes: [...facts.nodes] });
    try {
      // WHEN drafting with deploy/workflow.ts plan as the plan step
      const { outcome, text } = await runDraft(fake.host, root, { planner: workflowPlanner(simulatorTarget(sim)) });

      // THEN the file was synthesised and planned: the template, the 5 tier VMs, their firewalls and the rest are to be created
      expect([outcome.exitCode, text]).toEqual([DRAFT_EXIT.ok, expect.stringContaining("Plan: ")]);
      expect(outcome.plan!.counts.add).toBeGreaterThan(5);
      const vms = outcome.plan!.changes.filter((c) => /^create proxmox_virtual_environment_vm\./.test(c));
      expect(vms.filter((c) => /\.template-/.test(c))).toHaveLength(1);
      expect(vms.filter((c) => /\.tier-/.test(c))).toHaveLength(5);
      expect(fs.existsSync(path.join(root, "cdktf.out", "stacks", "shop", "cdk.tf.json"))).toBe(true);
    } finally {
      await sim.stop();
      await fake.stop();
    }
  }, 180_000);
});
