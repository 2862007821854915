/**
 * The shipped prod environment, whose backups go to a PBS storage it defines (backups.pbs), end to end:
 * `up prod` applies the encrypted storage and the job onto it, the next plan is empty.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { readSimState, REPO, runCli, targetVariables, tempProject } from "./cli-project";

const PASSWORD = "pbs-secret-from-the-environment";
const PROD = fs.readFileSync(path.join(REPO, "environments", "prod.yaml"), "utf8");
const project = tempProject({ "prod.yaml": PROD });
let sim: RunningSimulator;
let env: Record<string, string>;
beforeAll(async () => {
  sim = await startSimulator({ stateFile: project.simStateFile });
  env = { ...targetVariables(sim), PROXMOX_CDK_STATE_BACKEND: "local", TF_VAR_pbs_password: PASSWORD };
});
afterAll(async () => {
  await sim?.stop();
});

describe("prod with an encrypted PBS backup target", () => {
  it("applies the PBS storage with a generated key and the job onto it, then re-plans empty", async () => {
    // GIVEN prod.yaml with backups.pbs WHEN `up prod --yes` runs with the password in TF_VAR_pbs_password
    expect(PROD).toContain("    server: pbs.example.invalid\n");
    const r = await runCli(project, ["up", "prod", "--yes"], env);
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);

    // THEN PVE has the pbs storage with a key fingerprint and the job writes to it
    const { slices } = readSimState(project.simStateFile);
    const def = (slices.storage.defs as { storage: string; type: string; pbs?: { encryptionKey?: string } }[]).find((d) => d.storage === "pbs");
    expect(def).toMatchObject({ type: "pbs", pbs: { encryptionKey: expect.stringMatching(/^([0-9a-f]{2}:){31}[0-9a-f]{2}$/) } });
    expect(Object.values(slices.backup.jobs as Record<string, { storage: string }>).map((j) => j.storage)).toEqual(["pbs"]);
    // AND the simulator's state file never holds the password
    expect(fs.readFileSync(project.simStateFile, "utf8")).not.toContain(PASSWORD);

    // WHEN planned again THEN nothing changes
    const plan = await runCli(project, ["plan", "prod"], env);
    expect([plan.exitCode, plan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }, 600_000);
});
