import { fakeContext } from "./fake-context";
import { config, createTemplate, createVm, providerCreateArgs, seedImportImage } from "./vm-requests";

describe("cloning (POST …/clone)", () => {
  it("links a template's disks, renews MAC and SMBIOS UUID and drops the template flag", async () => {
    // GIVEN a template
    const ctx = fakeContext();
    await createTemplate(ctx, 9000);
    const source = await config(ctx, 9000);

    // WHEN it is linked-cloned
    expect(await ctx.task("POST", "/nodes/pve1/qemu/9000/clone", { newid: "101", name: "web-1", full: "0" })).toBe("OK");

    // THEN the clone's disks are children of the base volumes; cloud-init and TPM are copies
    const conf = await config(ctx, 101);
    expect(conf).toMatchObject({
      name: "web-1",
      efidisk0: "local-lvm:vm-101-disk-0,efitype=4m,ms-cert=2023k,pre-enrolled-keys=1,size=4M",
      ide2: "local-lvm:vm-101-cloudinit,media=cdrom",
      scsi0: expect.stringMatching(/^local-lvm:vm-101-disk-1,.*size=2G/),
      tpmstate0: "local-lvm:vm-101-disk-2,size=4M,version=v2.0",
    });
    expect(conf.template).toBeUndefined();
    expect(conf.net0).not.toBe(source.net0);
    expect(conf.smbios1).not.toBe(source.smbios1);
    const content = (await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content", { vmid: "101" })) as Array<{ volid: string; parent?: string }>;
    expect(content.filter((v) => v.parent).map((v) => [v.volid, v.parent])).toEqual([
      ["local-lvm:vm-101-disk-0", "base-9000-disk-1"],
      ["local-lvm:vm-101-disk-1", "base-9000-disk-0"],
    ]);
  });

  it("names a clone Copy-of-VM-<name> when no name is given", async () => {
    const ctx = fakeContext();
    await createTemplate(ctx, 9000);
    await ctx.task("POST", "/nodes/pve1/qemu/9000/clone", { newid: "101", full: "1" });
    expect((await config(ctx, 101)).name).toBe("Copy-of-VM-vm9000");
  });

  it("refuses a linked clone of a VM that is not a template", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    await createVm(ctx, 100);
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/clone", { newid: "101", full: "0" })).rejects.toThrow(
      "Linked clone feature is not supported for 'local-lvm:vm-100-disk-1' (efidisk0)",
    );
  });

  it("refuses a target storage for a linked clone and a used new id", async () => {
    const ctx = fakeContext();
    await createTemplate(ctx, 9000);
    await expect(ctx.call("POST", "/nodes/pve1/qemu/9000/clone", { newid: "101", full: "0", storage: "local-lvm" })).rejects.toThrow(
      "parameter 'storage' not allowed for linked clones",
    );
    await expect(ctx.call("POST", "/nodes/pve1/qemu/9000/clone", { newid: "9000" })).rejects.toThrow("unable to create VM 9000: config file already exists");
  });

  it("shows the new VM with lock 'clone' while the clone runs and refuses changes to it", async () => {
    // GIVEN a full clone that takes 500 ms (a linked clone takes only its allocations)
    const ctx = fakeContext({ qmclone: 500 });
    await createTemplate(ctx, 9000);
    await ctx.call("POST", "/nodes/pve1/qemu/9000/clone", { newid: "101", full: "1" });
    await new Promise((r) => setTimeout(r, 20));

    // THEN the target exists, locked, and config changes and deletion fail like PVE
    expect(await ctx.call("GET", "/nodes/pve1/qemu/101/status/current")).toMatchObject({ lock: "clone" });
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/101/config", { cores: "4" })).rejects.toMatchObject({ status: 500, message: "VM is locked (clone)" });
    await expect(ctx.call("POST", "/nodes/pve1/qemu/9000/template")).rejects.toThrow("you can't convert a template to a template");

    // AND once done the lock is gone
    expect(await ctx.tasks.at(-1)?.done).toBe("OK");
    expect((await config(ctx, 101)).lock).toBeUndefined();
  });

  it("fails a second clone of a running VM on its config lock after PVE's 1 s timeout", async () => {
    // GIVEN a running VM (without TPM, which PVE cannot clone live) whose clone takes 1.5 s
    const ctx = fakeContext({ qmclone: 1500 });
    seedImportImage(ctx);
    const args = providerCreateArgs(100);
    delete args.tpmstate0;
    await ctx.task("POST", "/nodes/pve1/qemu", args);
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");

    // WHEN two clones start together
    await ctx.call("POST", "/nodes/pve1/qemu/100/clone", { newid: "101" });
    await ctx.call("POST", "/nodes/pve1/qemu/100/clone", { newid: "102" });
    const [first, second] = await Promise.all(ctx.tasks.filter((t) => t.type === "qmclone").map((t) => t.done));

    // THEN the first succeeds and the second fails like PVE, leaving no VM 102 behind
    expect(first).toBe("OK");
    expect(second).toBe("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout");
    await expect(config(ctx, 102)).rejects.toThrow("does not exist");
  });

  it("refuses a full clone of a running VM with TPM state, like PVE", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    await createVm(ctx, 100);
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/clone", { newid: "101" })).rejects.toThrow("cannot clone TPM state while VM is running");
  });
});
