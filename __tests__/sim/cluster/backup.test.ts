import { removeGuestFromBackupJobs, routes } from "../../../sim/routes/backup";
import { call, fakeSim } from "./fake-sim";

const JOB = "/cluster/backup/{id}";

describe("backup jobs", () => {
  it("answers property strings as objects and flags as numbers, as bpg/proxmox decodes them", async () => {
    const sim = fakeSim();
    await call(
      routes,
      sim,
      "POST",
      "/cluster/backup",
      {},
      {
        id: "nightly",
        schedule: "21:00",
        storage: "local",
        vmid: "100,101",
        "prune-backups": "keep-last=3,keep-all=0",
        fleecing: "enabled=1,storage=local-lvm",
        performance: "max-workers=4",
        bwlimit: "1000",
        remove: "1",
      },
    );
    expect(await call(routes, sim, "GET", JOB, { id: "nightly" })).toEqual({
      id: "nightly",
      type: "vzdump",
      schedule: "21:00",
      storage: "local",
      vmid: "100,101",
      enabled: 1,
      remove: 1,
      bwlimit: 1000,
      "prune-backups": { "keep-last": 3, "keep-all": 0 },
      fleecing: { enabled: 1, storage: "local-lvm" },
      performance: { "max-workers": 4 },
    });
  });

  it("turns starttime and dow into a schedule and refuses both forms at once", async () => {
    const sim = fakeSim();
    await call(routes, sim, "POST", "/cluster/backup", {}, { id: "weekly", starttime: "02:00", dow: "sat,sun", storage: "local", all: "1" });
    expect(await call(routes, sim, "GET", JOB, { id: "weekly" })).toMatchObject({ schedule: "sat,sun 02:00", all: 1 });
    await expect(
      call(routes, sim, "POST", "/cluster/backup", {}, { id: "x", starttime: "02:00", schedule: "daily", storage: "local", all: "1" }),
    ).rejects.toMatchObject({ errors: { starttime: "'starttime' and 'schedule' cannot both be set" } });
  });

  it("needs a selection and refuses conflicting ones", async () => {
    const sim = fakeSim();
    const base = { schedule: "daily", storage: "local" };
    await expect(call(routes, sim, "POST", "/cluster/backup", {}, { id: "a", ...base })).rejects.toMatchObject({ errors: { vmid: "property is missing" } });
    await expect(call(routes, sim, "POST", "/cluster/backup", {}, { id: "a", ...base, all: "1", vmid: "100" })).rejects.toMatchObject({
      errors: { all: "option conflicts with option 'vmid'" },
    });
    await expect(call(routes, sim, "POST", "/cluster/backup", {}, { id: "a", ...base, pool: "nope" })).rejects.toThrow("pool 'nope' does not exist");
  });

  it("drops a destroyed guest from VMID lists and deletes a job left without guests", async () => {
    const sim = fakeSim();
    await call(routes, sim, "POST", "/cluster/backup", {}, { id: "two", schedule: "daily", storage: "local", vmid: "100,101" });
    await call(routes, sim, "POST", "/cluster/backup", {}, { id: "one", schedule: "daily", storage: "local", vmid: "100" });
    removeGuestFromBackupJobs(sim.state, 100);
    expect(await call(routes, sim, "GET", "/cluster/backup")).toEqual([expect.objectContaining({ id: "two", vmid: "101" })]);
  });
});
