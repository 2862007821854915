/**
 * The shipped prod environment, whose backups go to a PBS storage it defines (backups.pbs), end to end:
 * `up prod` applies the encrypted storage and the job onto it, the next plan is empty.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { auditRecords, filesContaining, filesUnder, readSimState, REPO, runCli, targetVariables, tempProject } from "./cli-project";

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

    // AND neither the password nor the generated key is in the CLI's output, the audit log, the plan
    // files, reports or any other file the CLI wrote — only in the Terraform state, which holds them
    // by design (docs/data-protection.md)
    const key = generatedKey(project.root);
    const secrets = { password: PASSWORD, key, "key data": (JSON.parse(key) as { data: string }).data };
    expect(auditRecords(project).length).toBeGreaterThan(0);
    // (a saved plan is a zip that holds the variables: none may stay behind where a text search cannot see into it)
    expect(filesUnder(project.root).filter((f) => f.endsWith(".tfplan"))).toEqual([]);
    for (const [what, secret] of Object.entries(secrets)) {
      expect({ what, outputs: [r.stdout, r.stderr, plan.stdout, plan.stderr].filter((o) => o.includes(secret)).length }).toEqual({ what, outputs: 0 });
      const files = filesContaining(project.root, secret).filter((f) => !isTerraformState(f));
      expect({ what, files }).toEqual({ what, files: [] });
    }
  }, 600_000);
});

/** Terraform state files (local backend): the one place the provider keeps the password and the key. */
function isTerraformState(file: string): boolean {
  return /\.tfstate(\.backup)?$/.test(file) || /\.tfstate\.\d+\.backup$/.test(file);
}

/** The key PVE generated for the pbs storage, as the provider recorded it in the Terraform state. */
function generatedKey(root: string): string {
  const keys = filesUnder(root)
    .filter((f) => /\.tfstate$/.test(f))
    .flatMap(
      (f) =>
        (JSON.parse(fs.readFileSync(f, "utf8")) as { resources?: { type: string; instances: { attributes: Record<string, unknown> }[] }[] }).resources ?? [],
    )
    .filter((res) => res.type === "proxmox_storage_pbs")
    .flatMap((res) => res.instances.map((i) => i.attributes.generated_encryption_key))
    .filter((k): k is string => typeof k === "string" && k.length > 0);
  expect(keys.length).toBeGreaterThan(0);
  return keys[0];
}
