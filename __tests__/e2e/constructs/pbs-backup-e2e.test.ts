import * as fs from "fs";
import * as path from "path";
import { TerraformStack, TerraformVariable } from "cdktf";
import { BackupJob } from "../../../constructs/backup-job";
import { PbsStorage } from "../../../constructs/pbs-storage";
import { checkPolicy } from "../../../policy/check-policy";
import { providerStack } from "../harness/provider-stack";
import { pveCall } from "../harness/pve-client";
import { simulatorSuite } from "../harness/simulator-suite";
import { terraformWorkdir, type TerraformWorkdir } from "../harness/terraform-workdir";

jest.setTimeout(600_000);

const PASSWORD = "pbs-password-from-the-environment";

/** A prod PBS storage with a generated key and the nightly job that backs up onto it. */
function pbsStack(): TerraformStack {
  const stack = providerStack("pbs-backup");
  const password = new TerraformVariable(stack, "pbs_password", { type: "string", sensitive: true, description: "PBS password (TF_VAR_pbs_password)" });
  const pbs = new PbsStorage(stack, "pbs", {
    storageId: "pbs-prod",
    server: "pbs.example.invalid",
    datastore: "store1",
    username: "backup@pbs",
    password: password.value,
  });
  new BackupJob(stack, "backup", { jobId: "prod-nightly", storage: pbs.storageId, vmIds: [100, 101] });
  return stack;
}

describe("encrypted backups onto a PBS storage with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir | undefined;
  afterAll(() => wd?.cleanup());

  it("applies a PBS storage with a generated key and a job onto it, re-plans empty, exports the key and destroys", async () => {
    // GIVEN a prod stack whose synthesised JSON holds neither the password nor a key, and the policy has no PVE-OPS-009 finding
    const stack = pbsStack();
    expect(checkPolicy(stack, { stage: "prod" }).filter((f) => f.ruleId === "PVE-OPS-009")).toEqual([]);
    wd = await terraformWorkdir(stack, { sim: suite.sim, env: { TF_VAR_pbs_password: PASSWORD } });
    expect(fs.readFileSync(path.join(wd.dir, "main.tf.json"), "utf8")).not.toContain(PASSWORD);

    // WHEN it is applied
    await wd.apply();

    // THEN PVE shows the storage with the key's fingerprint only, and the job targets it
    const get = async (p: string) => (await pveCall(suite.sim, "GET", p, { token: suite.sim.apiToken })).body.data as Record<string, unknown>;
    const storage = await get("/storage/pbs-prod");
    expect(storage).toMatchObject({ type: "pbs", content: "backup", server: "pbs.example.invalid", datastore: "store1" });
    expect(storage["encryption-key"]).toMatch(/^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
    expect(JSON.stringify(storage)).not.toContain(PASSWORD);
    const job = await get("/cluster/backup/prod-nightly");
    expect(job).toMatchObject({ storage: "pbs-prod", vmid: "100,101" });

    // AND the generated key is a sensitive output whose fingerprint is the one PVE keeps
    const outputs = JSON.parse((await wd.run("output", "-json")).output) as Record<string, { sensitive: boolean; value: string }>;
    const keyOutput = Object.entries(outputs).find(([name]) => name === "pbs_key_pbs_prod");
    expect(keyOutput?.[1].sensitive).toBe(true);
    const key = JSON.parse(keyOutput![1].value) as { data: string; fingerprint: string };
    expect(key.fingerprint).toBe(storage["encryption-key"]);
    expect(JSON.stringify(suite.sim.state.toJSON())).not.toContain(key.data);
    expect(JSON.stringify(suite.sim.state.toJSON())).not.toContain(PASSWORD);

    // WHEN planned again THEN nothing changes
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN destroyed THEN storage and job are gone
    await wd.destroy();
    expect(await get("/storage/pbs-prod")).toBeNull();
  });
});
