import { FlockTable } from "../../../sim/qemu/flock";

const PATH = "/var/lock/qemu-server/lock-100.conf";

describe("lock files (PVE's lock_file_full)", () => {
  it("lets shared holders in together", async () => {
    const t = new FlockTable();
    const a = await t.acquire(PATH, "shared", 10);
    const b = await t.acquire(PATH, "shared", 10);
    a();
    b();
    expect(t.busy(PATH)).toBe(false);
  });

  it("fails a waiter with PVE's message when the holder keeps the lock past the timeout", async () => {
    const t = new FlockTable();
    const held = await t.acquire(PATH, "exclusive", 10);
    await expect(t.acquire(PATH, "shared", 30)).rejects.toMatchObject({ status: 500, message: `can't lock file '${PATH}' - got timeout` });
    held();
  });

  it("hands the lock to waiters in arrival order", async () => {
    const t = new FlockTable();
    const order: string[] = [];
    const first = await t.acquire(PATH, "exclusive", 10);
    const second = t.acquire(PATH, "exclusive", 1000).then((r) => (order.push("second"), r));
    const third = t.acquire(PATH, "exclusive", 1000).then((r) => (order.push("third"), r));
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
  });

  it("keeps locks of different nodes apart", async () => {
    const t = new FlockTable();
    const storage = "/var/lock/pve-manager/pve-storage-local-lvm";
    const a = await t.acquire(storage, "exclusive", 10, "pve1");
    const b = await t.acquire(storage, "exclusive", 10, "pve2");
    a();
    b();
    expect(t.busy(storage, "pve1")).toBe(false);
  });
});
