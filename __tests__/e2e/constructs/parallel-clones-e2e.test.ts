import { startSimulator } from "../../../sim/index";
import { ALLOC_LATENCY_KEY } from "../../../sim/qemu/storage-lock";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";
import { applyCloneGroup } from "./clone-group";
import { apiGet } from "./sim-api";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;
const CLONES = 20;
/** A full clone's total time, and one volume allocation under local-lvm's storage lock. */
const LATENCY = { qmclone: 4000, [ALLOC_LATENCY_KEY]: 200 };

describe("VmGroup: 20 clones of one template against PVE's clone model (storage lock per allocation)", () => {
  let images: ImageServer;
  const key = sshPublicKey("ops@clones");

  beforeAll(async () => {
    images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB) });
  });
  afterAll(async () => {
    await images?.close();
  });

  it("creates all 20 members with the default settings, their clones overlapping, and destroys them", async () => {
    // GIVEN a simulator where a full clone takes 4 s and each allocation holds local-lvm's lock 200 ms
    const sim = await startSimulator({ latency: LATENCY });
    const image = { url: images.url("debian-13.qcow2"), sha256: images.sha256("debian-13.qcow2") };
    let run;
    try {
      // WHEN a VmGroup of 20 with VmGroup's defaults (no clone chains) is applied
      run = await applyCloneGroup(sim, { image, sshKey: key, count: CLONES });
      // (the wall time is a figure, not an assertion: 20 chained clones would take at least 20 × 4 s)
      process.stdout.write(`20 parallel clones at clone=4s, alloc=200ms: apply ${run.seconds.toFixed(1)} s, up to ${run.peakClones} clone tasks at once\n`);

      // THEN the apply succeeds, every clone task ended OK at its first attempt and every member runs
      expect({ exitCode: run.exitCode, created: run.created, failed: run.failed }).toEqual({ exitCode: 0, created: CLONES, failed: 0 });
      expect(run.cloneTasks).toEqual({ OK: CLONES });
      const vms = (await apiGet(sim, "/cluster/resources", { type: "vm" })) as Array<{ status: string; template: number }>;
      expect(vms.filter((v) => !v.template).map((v) => v.status)).toEqual(Array(CLONES).fill("running"));
      // AND clones ran side by side (the simulator's record of overlap)
      expect(run.peakClones).toBeGreaterThan(1);

      // WHEN the stack is destroyed THEN no VM is left
      await run.workdir.destroy();
      expect(await apiGet(sim, "/cluster/resources", { type: "vm" })).toEqual([]);
    } finally {
      run?.workdir.cleanup();
      await sim.stop();
    }
  });
});
