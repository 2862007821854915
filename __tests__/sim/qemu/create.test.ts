import { fakeContext } from "./fake-context";
import { config, createVm, providerCreateArgs, seedImportImage, SSH_KEY_ESCAPED } from "./vm-requests";

const GiB = 1024 ** 3;

describe("creating a VM (POST /nodes/{node}/qemu)", () => {
  it("writes the config the way PVE stores it: allocated volumes, sizes, cloud-init drive, MAC", async () => {
    // GIVEN an import image on local
    const ctx = fakeContext();
    seedImportImage(ctx);

    // WHEN bpg/proxmox's create request runs
    await createVm(ctx, 100);

    // THEN every drive points at an allocated volume with PVE's canonical option order
    const conf = await config(ctx, 100);
    expect(conf).toMatchObject({
      scsi0: "local-lvm:vm-100-disk-0,aio=io_uring,backup=1,cache=none,discard=on,iothread=1,replicate=1,size=2G,ssd=1",
      efidisk0: "local-lvm:vm-100-disk-1,efitype=4m,ms-cert=2023k,pre-enrolled-keys=1,size=4M",
      tpmstate0: "local-lvm:vm-100-disk-2,size=4M,version=v2.0",
      ide2: "local-lvm:vm-100-cloudinit,media=cdrom",
      net0: expect.stringMatching(/^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0,firewall=1,tag=10$/),
      sshkeys: SSH_KEY_ESCAPED,
      ipconfig0: "gw=10.0.10.1,ip=10.0.10.5/24",
      smbios1: expect.stringMatching(/^uuid=[0-9a-f-]{36}$/),
      vmgenid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      meta: expect.stringMatching(/^creation-qemu=10\.1\.2,ctime=\d+$/),
      digest: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(conf.lock).toBeUndefined();
  });

  it("answers integers and booleans as JSON numbers and property strings as strings", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    await createVm(ctx, 100, { cpulimit: "1.5" });
    const conf = await config(ctx, 100);
    expect(conf).toMatchObject({ cores: 2, sockets: 1, balloon: 0, onboot: 0, protection: 0, numa: 0, memory: "2048", cpulimit: "1.5", serial0: "socket" });
  });

  it("generates the same MAC for the same seed and request sequence", async () => {
    const macs: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const ctx = fakeContext();
      seedImportImage(ctx);
      await createVm(ctx, 100);
      macs.push((await config(ctx, 100)).net0);
    }
    expect(macs[0]).toBe(macs[1]);
  });

  it("shows the VM with lock 'create' while the create task runs", async () => {
    // GIVEN a create task that takes 50 ms
    const ctx = fakeContext({ qmcreate: 50 });
    seedImportImage(ctx);
    await ctx.call("POST", "/nodes/pve1/qemu", providerCreateArgs(100));

    // THEN the config already exists, locked
    expect(await config(ctx, 100)).toMatchObject({ lock: "create" });
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/status/current")).toMatchObject({ lock: "create", status: "stopped" });

    // AND once the task ended, it is unlocked
    expect(await ctx.tasks[0].done).toBe("OK");
    expect((await config(ctx, 100)).lock).toBeUndefined();
  });

  it("sorts, lower-cases and deduplicates tags", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    await createVm(ctx, 100, { tags: "Web;db,web prod" });
    expect((await config(ctx, 100)).tags).toBe("db;prod;web");
  });

  it("refuses an id in use anywhere in the cluster", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    await createVm(ctx, 100);
    await expect(ctx.call("POST", "/nodes/pve2/qemu", providerCreateArgs(100, { scsi0: "local-lvm:8" }))).rejects.toThrow(
      "unable to create VM 100 - VM 100 already exists on node 'pve1'",
    );
  });

  it("fails the task and removes the config when the import source is missing", async () => {
    const ctx = fakeContext();
    const status = await ctx.task("POST", "/nodes/pve1/qemu", providerCreateArgs(100));
    expect(status).toBe("unable to create VM 100 - cannot import from 'local:import/debian.qcow2' - could not get size of local:import/debian.qcow2");
    await expect(config(ctx, 100)).rejects.toThrow("Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist");
    expect(await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content")).toEqual([]);
  });

  it("requires the <storage>:0 syntax for import-from", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    const args = providerCreateArgs(100, { scsi0: "file=local-lvm:8,import-from=local:import/debian.qcow2" });
    await expect(ctx.call("POST", "/nodes/pve1/qemu", args)).rejects.toMatchObject({
      status: 400,
      errors: { scsi0: "'import-from' requires special syntax - use <storage ID>:0,import-from=<source>" },
    });
  });

  it("rejects malformed SSH keys like PVE's ssh-keygen check", async () => {
    const ctx = fakeContext();
    seedImportImage(ctx);
    await expect(ctx.call("POST", "/nodes/pve1/qemu", providerCreateArgs(100, { sshkeys: "ssh-ed25519%20bm90IGEga2V5" }))).rejects.toThrow(
      "SSH public key validation error",
    );
  });

  it("allocates a blank disk of the requested GiB and a default boot order when none is given", async () => {
    const ctx = fakeContext();
    const args = providerCreateArgs(100, { scsi0: "file=local-lvm:16,iothread=1" });
    delete args.boot;
    await ctx.task("POST", "/nodes/pve1/qemu", args);
    const conf = await config(ctx, 100);
    expect(conf.scsi0).toBe("local-lvm:vm-100-disk-0,iothread=1,size=16G");
    expect(conf.boot).toBe("order=scsi0;ide2;net0");
    expect(await ctx.call("GET", "/nodes/pve1/storage/local-lvm/content/vm-100-disk-0")).toMatchObject({ size: 16 * GiB, format: "raw" });
  });
});
