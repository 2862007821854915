import { accessState } from "../../../sim/access-model";
import { config, contextWithVm100 } from "./vm-requests";

describe("VM config updates (PUT/POST …/config)", () => {
  it("masks the cloud-init password on read and stores a crypt hash", async () => {
    // GIVEN a VM
    const ctx = await contextWithVm100();

    // WHEN a password is set
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cipassword: "s3cret" });

    // THEN reads show the mask only, and the stored value is a SHA-512 crypt string
    expect((await config(ctx, 100)).cipassword).toBe("**********");
    const stored = (ctx.state.toJSON().qemu as { vms: Record<string, { conf: Record<string, string> }> }).vms["100"].conf.cipassword;
    expect(stored).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$/);
  });

  it("refuses a stale digest", async () => {
    const ctx = await contextWithVm100();
    const { digest } = await config(ctx, 100);
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { description: "changed", digest: String(digest) });
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cores: "4", digest: String(digest) })).rejects.toThrow(
      "checksum mismatch (file change by other user?)",
    );
  });

  it("turns a deleted disk into unusedN and frees a deleted cloud-init drive", async () => {
    // GIVEN a VM with a data disk and a cloud-init drive
    const ctx = await contextWithVm100();

    // WHEN both are deleted
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { delete: "scsi0,ide2" });

    // THEN the disk is kept as unused0, the cloud-init volume is gone, and scsi0 left the boot order
    const conf = await config(ctx, 100);
    expect(conf).toMatchObject({ unused0: "local-lvm:vm-100-disk-0", boot: "order=net0" });
    expect(conf.scsi0).toBeUndefined();
    expect(conf.ide2).toBeUndefined();
    const vols = (await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content")) as Array<{ volid: string }>;
    expect(vols.map((v) => v.volid)).not.toContain("local-lvm:vm-100-cloudinit");
  });

  it("keeps drives of a protected VM", async () => {
    const ctx = await contextWithVm100();
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { protection: "1" });
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { delete: "scsi0" })).rejects.toThrow("can't remove drive 'scsi0' - protection mode enabled");
  });

  it("adds a MAC to a new NIC and canonicalises its options", async () => {
    const ctx = await contextWithVm100();
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { net1: "model=virtio,firewall=0,bridge=vmbr1" });
    expect((await config(ctx, 100)).net1).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr1,firewall=0$/);
  });

  it("rejects unknown options in delete and conflicting set/delete", async () => {
    const ctx = await contextWithVm100();
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { delete: "nonsense" })).rejects.toMatchObject({
      errors: { delete: "unknown option 'nonsense'" },
    });
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { delete: "cores", cores: "2" })).rejects.toMatchObject({
      errors: { delete: "you can't use '-cores' and -delete cores' at the same time" },
    });
  });

  it("refuses a boot order naming a device the VM does not have", async () => {
    const ctx = await contextWithVm100();
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { boot: "order=scsi5;net0" })).rejects.toThrow(
      "invalid bootorder: device 'scsi5' does not exist'",
    );
  });

  it("applies a POST update as a qmconfig task", async () => {
    const ctx = await contextWithVm100();
    expect(await ctx.task("POST", "/nodes/pve1/qemu/100/config", { cores: "4", memory: "4096" })).toBe("OK");
    expect(await config(ctx, 100)).toMatchObject({ cores: 4, memory: "4096" });
  });

  it("checks the per-option privileges qemu-server checks in code", async () => {
    // GIVEN a caller without any ACL (not root)
    const ctx = await contextWithVm100();

    // THEN changing cores needs VM.Config.CPU and kvm args are root-only
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cores: "4" }, "ci@pve")).rejects.toMatchObject({
      status: 403,
      message: "Permission check failed (/vms/100, VM.Config.CPU)",
    });
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { args: "-foo" }, "ci@pve")).rejects.toThrow("only root can set 'args' config");
  });

  it("lets a VM admin change cores where a VM user may not", async () => {
    // GIVEN ci@pve with PVEVMAdmin on /vms/100 and ops@pve with PVEVMUser there
    const ctx = await contextWithVm100();
    const access = accessState(ctx.state);
    for (const [userid, roleid] of [
      ["ci@pve", "PVEVMAdmin"],
      ["ops@pve", "PVEVMUser"],
    ]) {
      access.users[userid] = { enable: 1, expire: 0, groups: [], tokens: {} };
      access.acl.push({ path: "/vms/100", type: "user", ugid: userid, roleid, propagate: 1 });
    }

    // THEN only the admin's change goes through
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cores: "4", tags: "web" }, "ci@pve");
    await expect(ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cores: "8" }, "ops@pve")).rejects.toMatchObject({ status: 403 });
    expect(await config(ctx, 100)).toMatchObject({ cores: 4, tags: "web" });
  });

  it("lists the config through GET …/pending with masked password", async () => {
    const ctx = await contextWithVm100();
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cipassword: "x" });
    const pending = (await ctx.call("GET", "/nodes/pve1/qemu/100/pending")) as Array<{ key: string; value: unknown }>;
    expect(pending).toContainEqual({ key: "cipassword", value: "**********" });
    expect(pending).toContainEqual({ key: "cores", value: 2 });
  });
});
