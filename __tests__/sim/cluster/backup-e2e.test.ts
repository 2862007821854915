import type { TerraformStack } from "cdktf";
import { BackupJob } from "../../../.gen/providers/proxmox/backup-job";
import { VirtualEnvironmentPool } from "../../../.gen/providers/proxmox/virtual-environment-pool";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

/** First a job for two VMIDs; the update moves it to a pool selection on another schedule. */
function backupStack(update: boolean): TerraformStack {
  const stack = providerStack("sim-backup");
  const pool = new VirtualEnvironmentPool(stack, "pool", { poolId: "prod", comment: "production" });
  new BackupJob(stack, "nightly", {
    id: "nightly",
    schedule: update ? "mon..fri 02:30" : "sun 01:00",
    storage: "local",
    mode: "snapshot",
    compress: "zstd",
    ...(update ? { pool: pool.poolId } : { vmid: ["100", "101"] }),
    pruneBackups: update ? { "keep-last": "5" } : { "keep-last": "3", "keep-weekly": "2" },
    notesTemplate: "{{guestname}}",
    mailnotification: "failure",
    fleecing: { enabled: true, storage: "local-lvm" },
  });
  return stack;
}

describe("backup job with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  const job = () => (suite.sim.state.toJSON().backup as { jobs: Record<string, Record<string, string>> }).jobs.nightly;

  it("applies a vzdump job, re-plans empty, switches it to a pool selection in place and destroys it", async () => {
    // GIVEN a nightly job for VMs 100 and 101 with retention and fleecing
    wd = await suite.workdir(backupStack(false));

    // WHEN it is applied
    await wd.apply();

    // THEN jobs.cfg holds it as sent, enabled by default
    expect(job()).toMatchObject({
      schedule: "sun 01:00",
      storage: "local",
      mode: "snapshot",
      compress: "zstd",
      vmid: "100,101",
      "prune-backups": "keep-last=3,keep-weekly=2",
      "notes-template": "{{guestname}}",
      enabled: "1",
      fleecing: "enabled=1,storage=local-lvm",
    });
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the schedule, the retention and the selection (VMIDs → pool) change
    wd.write(backupStack(true));
    expect((await wd.plan()).output).toMatch(/0 to add, 1 to change, 0 to destroy/);
    await wd.apply();

    // THEN the same job is updated: the pool replaces the VMID list
    expect(job()).toMatchObject({ schedule: "mon..fri 02:30", pool: "prod", "prune-backups": "keep-last=5" });
    expect(job()).not.toHaveProperty("vmid");
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed THEN the job is gone
    await wd.destroy();
    expect(job()).toBeUndefined();
  });
});
