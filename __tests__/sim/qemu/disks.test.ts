import { storageSlice } from "../../../sim/storage/storage-config";
import { fakeContext } from "./fake-context";
import { config, contextWithVm100, createTemplate } from "./vm-requests";

const GiB = 1024 ** 3;

describe("disk resize (PUT …/resize)", () => {
  it("grows a disk to an absolute size in bytes, as bpg/proxmox sends it", async () => {
    const ctx = await contextWithVm100();
    expect(await ctx.task("PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: String(8 * GiB) })).toBe("OK");
    expect((await config(ctx, 100)).scsi0).toMatch(/,size=8G,/);
    expect(await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content/local-lvm:vm-100-disk-0")).toMatchObject({ size: 8 * GiB });
  });

  it("grows a disk by a relative amount", async () => {
    const ctx = await contextWithVm100();
    await ctx.task("PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: "+512M" });
    expect((await config(ctx, 100)).scsi0).toMatch(/,size=2560M,/);
  });

  it("fails the task when asked to shrink or to resize a missing disk", async () => {
    const ctx = await contextWithVm100();
    expect(await ctx.task("PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: "1G" })).toBe("shrinking disks is not supported");
    expect(await ctx.task("PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi7", size: "1G" })).toBe("disk 'scsi7' does not exist");
    expect(await ctx.task("PUT", "/nodes/pve1/qemu/999/resize", { disk: "scsi0", size: "1G" })).toBe(
      "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist",
    );
  });
});

describe("disk move (POST …/move_disk)", () => {
  it("copies the disk to a directory storage as qcow2 and keeps the old one as unused", async () => {
    // GIVEN a VM and a directory storage that holds images
    const ctx = await contextWithVm100();
    const slice = storageSlice(ctx.state);
    slice.defs = slice.defs.map((d) => (d.storage === "local" ? { ...d, content: [...d.content, "images"] } : d));

    // WHEN scsi0 moves to local
    expect(await ctx.task("POST", "/nodes/pve1/qemu/100/move_disk", { disk: "scsi0", storage: "local", format: "qcow2" })).toBe("OK");

    // THEN it lives in local's images directory and the LVM volume is unused0
    expect(await config(ctx, 100)).toMatchObject({ scsi0: expect.stringMatching(/^local:100\/vm-100-disk-0\.qcow2,/), unused0: "local-lvm:vm-100-disk-0" });
  });

  it("refuses a move to the same storage and format at once", async () => {
    const ctx = await contextWithVm100();
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/move_disk", { disk: "scsi0", storage: "local-lvm" })).rejects.toThrow(
      "you can't move to the same storage with same format",
    );
  });
});

describe("destroying a template with linked clones", () => {
  it("fails while a linked clone still uses its base volumes", async () => {
    const ctx = fakeContext();
    await createTemplate(ctx, 9000);
    await ctx.task("POST", "/nodes/pve1/qemu/9000/clone", { newid: "101", full: "0" });
    expect(await ctx.task("DELETE", "/nodes/pve1/qemu/9000")).toMatch(/^base volume 'local-lvm:base-9000-disk-\d' is still in use by linked cloned$/);
    expect(await ctx.task("DELETE", "/nodes/pve1/qemu/101")).toBe("OK");
    expect(await ctx.task("DELETE", "/nodes/pve1/qemu/9000")).toBe("OK");
  });
});

describe("migration (POST …/migrate)", () => {
  it("moves a stopped VM and its local disks to another node", async () => {
    // GIVEN a stopped VM on pve1
    const ctx = await contextWithVm100();

    // WHEN it migrates with its local disks
    expect(await ctx.task("POST", "/nodes/pve1/qemu/100/migrate", { target: "pve2", "with-local-disks": "1" })).toBe("OK");

    // THEN pve2 holds config and volumes, pve1 none
    expect(await config(ctx, 100, "pve2")).toMatchObject({ scsi0: expect.stringMatching(/^local-lvm:vm-100-disk-0,/) });
    expect(await ctx.call("GET", "/nodes/pve2/storage/local-lvm/content", { vmid: "100" })).toHaveLength(4);
    expect(await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content")).toEqual([]);
  });

  it("needs online=1 for a running VM and with-local-disks for local disks", async () => {
    const ctx = await contextWithVm100();
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/migrate", { target: "pve2" })).rejects.toThrow(
      /^can't migrate local disk 'local-lvm:vm-100-[\w-]+': use --with-local-disks$/,
    );
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/migrate", { target: "pve2", "with-local-disks": "1" })).rejects.toThrow(
      "can't migrate running VM without --online",
    );
  });
});
