import { clusterResources } from "../../../sim/cluster-resources";
import { usedVmIds } from "../../../sim/routes/qemu";
import { fakeContext } from "./fake-context";
import { config, contextWithVm100, createTemplate, createVm } from "./vm-requests";

const GiB = 1024 ** 3;

describe("VM power state and status/current", () => {
  it("reports a stopped VM with PVE's integer fields and the agent flag", async () => {
    const ctx = await contextWithVm100();
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/status/current")).toEqual({
      vmid: 100,
      status: "stopped",
      qmpstatus: "stopped",
      name: "vm100",
      cpus: 2,
      maxmem: 2048 * 1024 ** 2,
      maxdisk: 2 * GiB,
      disk: 0,
      uptime: 0,
      cpu: 0,
      mem: 0,
      memhost: 0,
      netin: 0,
      netout: 0,
      serial: 1,
      ha: { managed: 0 },
      agent: 1,
    });
  });

  it("is running only once the start task has ended", async () => {
    // GIVEN a start that takes 50 ms
    const ctx = await contextWithVm100({ qmstart: 50 });
    await ctx.call("POST", "/nodes/pve1/qemu/100/status/start");

    // THEN the VM is still stopped until the task ends, then running with a pid
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/status/current")).toMatchObject({ status: "stopped" });
    expect(await ctx.tasks.at(-1)?.done).toBe("OK");
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/status/current")).toMatchObject({ status: "running", qmpstatus: "running", pid: expect.any(Number) });
  });

  it("fails the start task of a template", async () => {
    const ctx = fakeContext();
    await createTemplate(ctx, 100);
    expect(await ctx.task("POST", "/nodes/pve1/qemu/100/status/start")).toBe("you can't start a vm if it's a template");
  });

  it("refuses to destroy a running VM or a protected one", async () => {
    const ctx = await contextWithVm100();
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");
    await expect(ctx.call("DELETE", "/nodes/pve1/qemu/100")).rejects.toThrow("VM 100 is running - destroy failed");
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/stop");
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { protection: "1" });
    await expect(ctx.call("DELETE", "/nodes/pve1/qemu/100")).rejects.toMatchObject({ status: 500, message: "can't remove VM 100 - protection mode enabled" });
  });

  it("destroys the VM with its volumes, after which status/current fails like PVE", async () => {
    // GIVEN a VM
    const ctx = await contextWithVm100();

    // WHEN it is destroyed with purge and unreferenced disks
    expect(await ctx.task("DELETE", "/nodes/pve1/qemu/100", { purge: "1", "destroy-unreferenced-disks": "1" })).toBe("OK");

    // THEN status fails with HTTP 500 and the config path, and its volumes are gone
    await expect(ctx.call("GET", "/nodes/pve1/qemu/100/status/current")).rejects.toMatchObject({
      status: 500,
      message: "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist",
    });
    expect(await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content")).toEqual([]);
  });

  it("answers a VM on another node as missing on this one", async () => {
    const ctx = await contextWithVm100();
    await expect(config(ctx, 100, "pve2")).rejects.toThrow("Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist");
  });
});

describe("VM rows for /cluster/resources and /cluster/nextid", () => {
  it("contributes a qemu row per VM with template as 0/1 and the used id", async () => {
    const ctx = fakeContext();
    await createTemplate(ctx, 9000);
    await createVm(ctx, 100, { tags: "web" });
    const rows = clusterResources(ctx).filter((r) => r.type === "qemu");
    expect(rows).toEqual([
      expect.objectContaining({
        id: "qemu/100",
        vmid: 100,
        node: "pve1",
        name: "vm100",
        status: "stopped",
        template: 0,
        tags: "web",
        maxmem: 2048 * 1024 ** 2,
      }),
      expect.objectContaining({ id: "qemu/9000", vmid: 9000, template: 1 }),
    ]);
    expect([...usedVmIds(ctx.state)].sort()).toEqual([100, 9000]);
  });
});

describe("converting to a template", () => {
  it("renames disks to base volumes but keeps the cloud-init drive", async () => {
    const ctx = fakeContext();
    await createTemplate(ctx, 100);
    expect(await config(ctx, 100)).toMatchObject({
      template: 1,
      scsi0: expect.stringMatching(/^local-lvm:base-100-disk-0,/),
      efidisk0: expect.stringMatching(/^local-lvm:base-100-disk-1,/),
      tpmstate0: expect.stringMatching(/^local-lvm:base-100-disk-2,/),
      ide2: "local-lvm:vm-100-cloudinit,media=cdrom",
    });
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/template")).rejects.toThrow("you can't convert a template to a template");
  });
});
