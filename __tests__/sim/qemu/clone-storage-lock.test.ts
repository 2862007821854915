import { ALLOC_LATENCY_KEY } from "../../../sim/qemu/storage-lock";
import { listVolumes } from "../../../sim/storage/volumes";
import type { FakeContext } from "./fake-context";
import { fakeContext } from "./fake-context";
import { config, createTemplate, providerCreateArgs, seedImportImage } from "./vm-requests";

const STORAGE_LOCK_TIMEOUT = "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout";

/** Volume names of VM `vmid` on pve1's local-lvm. */
function volumesOf(ctx: FakeContext, vmid: number): string[] {
  return listVolumes(ctx.state, "pve1", "local-lvm", { vmid }).map((v) => v.volname);
}

/** Starts a clone; `done` settles with its task's exit status. */
async function startClone(ctx: FakeContext, source: number, newid: number, full: boolean): Promise<{ done: Promise<string> }> {
  const upid = await ctx.call("POST", `/nodes/pve1/qemu/${source}/clone`, { newid: String(newid), full: full ? "1" : "0" });
  const task = ctx.tasks.find((t) => t.upid === upid);
  if (!task) throw new Error(`no task for the clone to ${newid}`);
  return { done: task.done };
}

describe("clones and the storage lock (pve-storage's cluster_lock_storage around each allocation)", () => {
  it("holds local-lvm's lock only while allocating, so full clones of one template copy at the same time", async () => {
    // GIVEN a template and three full clones of it started together, each allocating in 5 ms and copying for 1 s
    const ctx = fakeContext({ qmclone: 1000, [ALLOC_LATENCY_KEY]: 5 });
    await createTemplate(ctx, 9000);
    const done = [];
    for (const newid of [101, 102, 103]) done.push((await startClone(ctx, 9000, newid, true)).done);

    // WHEN the first clone ends
    expect(await done[0]).toBe("OK");

    // THEN the two others have allocated their system disk (scsi0, the third drive in PVE's order)
    // already: they are copying it, not queued behind the first
    for (const vmid of [102, 103])
      expect(volumesOf(ctx, vmid)).toEqual(expect.arrayContaining([`vm-${vmid}-disk-0`, `vm-${vmid}-cloudinit`, `vm-${vmid}-disk-1`]));
    expect((await config(ctx, 103)).lock).toBe("clone");
    // AND all three succeed
    expect(await Promise.all(done.slice(1))).toEqual(["OK", "OK"]);
  });

  it("makes a linked clone without a data copy: it takes only its allocations, whatever the clone latency", async () => {
    // GIVEN a template, a clone latency of 60 s and allocations of 1 ms
    const ctx = fakeContext({ qmclone: 60_000, [ALLOC_LATENCY_KEY]: 1 });
    await createTemplate(ctx, 9000);

    // WHEN it is linked-cloned
    const { done: status } = await startClone(ctx, 9000, 101, false);

    // THEN the clone ends without spending the copy time (the test's 5 s limit would fail it otherwise)
    expect(await status).toBe("OK");
    expect((await config(ctx, 101)).scsi0).toMatch(/^local-lvm:vm-101-disk-\d,/);
  });

  it("still fails a clone whose allocation waits longer than PVE's 10 s for the storage lock", async () => {
    // GIVEN a stopped VM with one disk and allocations that take 5.5 s each on local-lvm
    const ctx = fakeContext({ [ALLOC_LATENCY_KEY]: 5500 });
    seedImportImage(ctx);
    const args = providerCreateArgs(100);
    for (const key of ["efidisk0", "tpmstate0", "ide2"]) delete args[key];
    expect(await ctx.task("POST", "/nodes/pve1/qemu", args)).toBe("OK");

    // WHEN three full clones start together
    const done = [];
    for (const newid of [101, 102, 103]) done.push((await startClone(ctx, 100, newid, true)).done);

    // THEN the first two get the lock (at once, and after 5.5 s); the third would get it after 11 s and fails like PVE
    expect(await Promise.all(done)).toEqual(["OK", "OK", STORAGE_LOCK_TIMEOUT]);
    // AND the failed clone left neither a config nor a volume behind
    await expect(config(ctx, 103)).rejects.toThrow("does not exist");
    expect(volumesOf(ctx, 103)).toEqual([]);
  }, 30_000);

  it("takes the storage lock for a resize, so a resize waits behind a queued allocation", async () => {
    // GIVEN a template, a clone whose allocations take 300 ms each, and a finished clone to resize
    const ctx = fakeContext({ [ALLOC_LATENCY_KEY]: 300 });
    await createTemplate(ctx, 9000);
    expect(await (await startClone(ctx, 9000, 101, false)).done).toBe("OK");
    const clone = (await startClone(ctx, 9000, 102, false)).done;

    // WHEN VM 101's disk is resized while the second clone allocates
    const resized = ctx.task("PUT", "/nodes/pve1/qemu/101/resize", { disk: "scsi0", size: "+1G" });

    // THEN both succeed, and the resize ended after the allocation that held the lock when it asked
    const order: string[] = [];
    await Promise.all([resized.then((s) => order.push(`resize ${s}`)), clone.then((s) => order.push(`clone ${s}`))]);
    expect(order).toContain("resize OK");
    expect((await config(ctx, 101)).scsi0).toMatch(/size=3G/);
  }, 30_000);
});
