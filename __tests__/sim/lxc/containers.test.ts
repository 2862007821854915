import { accessState } from "../../../sim/access-model";
import { putFile } from "../../../sim/storage/volumes";
import { fakeContext, FakeContext } from "../qemu/fake-context";

const TEMPLATE = "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst";

/** A context with a downloaded Debian container template on pve1's `local`. */
function withTemplate(latency: Record<string, number> = {}): FakeContext {
  const ctx = fakeContext(latency);
  putFile(ctx.state, "pve1", "local", "vztmpl", "debian-13-standard_13.1-2_amd64.tar.zst", { format: "tzst", size: 120 * 1024 ** 2 });
  return ctx;
}

/** What bpg/proxmox's container resource sends to create a container. */
function createArgs(vmid: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    vmid: String(vmid),
    ostemplate: TEMPLATE,
    storage: "local-lvm",
    rootfs: "local-lvm:8",
    unprivileged: "1",
    hostname: "web-1",
    memory: "512",
    net0: "name=eth0,bridge=vmbr0,firewall=1,ip=dhcp",
    ...extra,
  };
}

/** Waits until every task started so far (and those they started) has ended. */
async function settled(ctx: FakeContext): Promise<string[]> {
  for (let seen = -1; seen !== ctx.tasks.length;) {
    seen = ctx.tasks.length;
    await Promise.all(ctx.tasks.map((t) => t.done));
  }
  return Promise.all(ctx.tasks.map(async (t) => `${t.type} ${await t.done}`));
}

async function config(ctx: FakeContext, vmid: number): Promise<Record<string, unknown>> {
  return (await ctx.call("GET", `/nodes/pve1/lxc/${vmid}/config`)) as Record<string, unknown>;
}

/** Grants `ops@pve` the roles given (propagating). */
function operator(ctx: FakeContext, acl: Array<{ path: string; roleid: string }>): string {
  const access = accessState(ctx.state);
  access.users["ops@pve"] = { enable: 1, expire: 0, groups: [], tokens: {} };
  access.acl.push(...acl.map((a) => ({ ...a, type: "user" as const, ugid: "ops@pve", propagate: 1 as const })));
  return "ops@pve";
}

describe("creating a container (POST /nodes/{node}/lxc)", () => {
  it("allocates the root volume and writes PVE's defaults, with the config locked while vzcreate runs", async () => {
    // GIVEN a create task that takes 50 ms
    const ctx = withTemplate({ vzcreate: 50 });

    // WHEN the create request is accepted
    await ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { password: "s3cret-pw", tags: "Web;db" }));

    // THEN the config exists at once, locked, and the task is a vzcreate task
    expect(await config(ctx, 100)).toMatchObject({ lock: "create" });
    expect(ctx.tasks[0]).toMatchObject({ type: "vzcreate", id: "100" });

    // AND once the task ended it holds the allocated volume and PVE's stored forms, no password
    expect(await ctx.tasks[0].done).toBe("OK");
    const conf = await config(ctx, 100);
    expect(conf).toMatchObject({
      rootfs: "local-lvm:vm-100-disk-0,size=8G",
      unprivileged: 1,
      memory: 512,
      swap: 512,
      arch: "amd64",
      ostype: "debian",
      tags: "db;web",
      net0: expect.stringMatching(/^name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/),
    });
    expect(conf.lock).toBeUndefined();
    // the password reaches neither the config, nor the state (file), nor a task log
    expect(JSON.stringify(conf)).not.toContain("s3cret");
    expect(JSON.stringify(ctx.state.toJSON())).not.toContain("s3cret");
    expect(ctx.tasks.flatMap((t) => t.log).join("\n")).not.toContain("s3cret");
  });

  it("refuses an id a VM already uses, naming the guest type", async () => {
    const ctx = withTemplate();
    await ctx.task("POST", "/nodes/pve1/lxc", createArgs(100));
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100))).rejects.toThrow("CT 100 already exists on node 'pve1'");
  });

  it("refuses a template that is not vztmpl content", async () => {
    const ctx = withTemplate();
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { ostemplate: "local:iso/debian.iso" }))).rejects.toThrow(
      "unable to use volume local:iso/debian.iso - content type needs to be 'vztmpl'",
    );
  });

  it("refuses a storage that does not hold container directories", async () => {
    const ctx = withTemplate();
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { rootfs: "local:8" }))).rejects.toMatchObject({
      errors: { storage: "storage 'local' does not support container directories" },
    });
  });

  it("fails the task and removes the config when the template file is missing", async () => {
    const ctx = fakeContext();
    await ctx.call("POST", "/nodes/pve1/lxc", createArgs(100));
    expect(await ctx.tasks[0].done).toBe(`unable to create CT 100 - volume '${TEMPLATE}' does not exist`);
    await expect(config(ctx, 100)).rejects.toThrow("Configuration file 'nodes/pve1/lxc/100.conf' does not exist");
  });
});

describe("privileges of container requests (check_ct_modify_config_perm)", () => {
  it("needs Sys.Modify on / for a privileged container", async () => {
    const ctx = withTemplate();
    const ops = operator(ctx, [
      { path: "/", roleid: "PVEVMAdmin" },
      { path: "/storage", roleid: "PVEDatastoreUser" },
      { path: "/sdn", roleid: "PVESDNUser" },
    ]);
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { unprivileged: "0" }), ops)).rejects.toMatchObject({ status: 403 });
  });

  it("lets a VM admin turn nesting on but keeps every other feature flag root-only", async () => {
    const ctx = withTemplate();
    const ops = operator(ctx, [
      { path: "/", roleid: "PVEVMAdmin" },
      { path: "/storage", roleid: "PVEDatastoreUser" },
      { path: "/sdn", roleid: "PVESDNUser" },
    ]);
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { features: "keyctl=1" }), ops)).rejects.toThrow(
      "Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)",
    );
    await ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { features: "nesting=1" }), ops);
    expect(await ctx.tasks[0].done).toBe("OK");
    expect(await config(ctx, 100)).toMatchObject({ features: "nesting=1" });
  });

  it("refuses a feature update that spells out the other flags as 0, as bpg/proxmox's update does, to anyone but root@pam", async () => {
    // GIVEN an unprivileged container with nesting on, and a VM admin
    const ctx = withTemplate();
    await ctx.task("POST", "/nodes/pve1/lxc", createArgs(100, { features: "nesting=1" }));
    const ops = operator(ctx, [{ path: "/", roleid: "PVEVMAdmin" }]);

    // WHEN nesting alone is turned off THEN VM.Allocate suffices
    await ctx.call("PUT", "/nodes/pve1/lxc/100/config", { features: "nesting=0" }, ops);

    // WHEN the provider's form (every flag, false ones as 0) is sent THEN keyctl '' → '0' counts as a change
    await expect(ctx.call("PUT", "/nodes/pve1/lxc/100/config", { features: "fuse=0,keyctl=0,mknod=0,nesting=1" }, ops)).rejects.toThrow(
      "Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)",
    );
    expect(await config(ctx, 100)).toMatchObject({ features: "nesting=0" });
  });

  it("needs Datastore.AllocateSpace on the storage of a new root volume", async () => {
    const ctx = withTemplate();
    const ops = operator(ctx, [
      { path: "/vms", roleid: "PVEVMAdmin" },
      { path: "/sdn", roleid: "PVESDNUser" },
      { path: "/storage/local", roleid: "PVEDatastoreUser" },
    ]);
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100), ops)).rejects.toThrow(
      "Permission check failed (/storage/local-lvm, Datastore.AllocateSpace)",
    );
  });

  it("refuses a NIC on a bridge the caller may not use", async () => {
    const ctx = withTemplate();
    const ops = operator(ctx, [
      { path: "/", roleid: "PVEVMAdmin" },
      { path: "/storage", roleid: "PVEDatastoreUser" },
    ]);
    await expect(ctx.call("POST", "/nodes/pve1/lxc", createArgs(100), ops)).rejects.toThrow("Permission check failed (/sdn/zones/localnetwork/vmbr0, SDN.Use)");
  });
});

describe("container config updates (PUT …/config)", () => {
  it("refuses to delete required options and to change read-only ones with PVE's messages", async () => {
    const ctx = withTemplate();
    await ctx.task("POST", "/nodes/pve1/lxc", createArgs(100));
    await expect(ctx.call("PUT", "/nodes/pve1/lxc/100/config", { delete: "memory" })).rejects.toThrow("unable to delete required option 'memory'");
    await expect(ctx.call("PUT", "/nodes/pve1/lxc/100/config", { unprivileged: "0" })).rejects.toThrow("unable to modify read-only option: 'unprivileged'");
    await expect(ctx.call("PUT", "/nodes/pve1/lxc/100/config", { digest: "0".repeat(40), memory: "1024" })).rejects.toThrow(
      "detected modified configuration - file changed by other user? Try again.",
    );
  });

  it("waits for the create task's config lock, then refuses a change while a clone holds the source's 'disk' lock", async () => {
    // GIVEN a container whose create task holds its config lock for 100 ms
    const ctx = withTemplate({ vzcreate: 100, vzclone: 100 });
    await ctx.call("POST", "/nodes/pve1/lxc", createArgs(100));

    // WHEN a config change arrives THEN it waits for lock_config and applies once the task is done
    await ctx.call("PUT", "/nodes/pve1/lxc/100/config", { memory: "1024" });
    expect(await ctx.tasks[0].done).toBe("OK");
    expect(await config(ctx, 100)).toMatchObject({ memory: 1024 });

    // WHEN a full clone runs THEN the source carries `lock: disk` and changes are refused
    await ctx.call("POST", "/nodes/pve1/lxc/100/clone", { newid: "101" });
    await expect(ctx.call("PUT", "/nodes/pve1/lxc/100/config", { memory: "2048" })).rejects.toThrow("CT is locked (disk)");
    expect(await ctx.tasks[1].done).toBe("OK");
    expect((await config(ctx, 100)).lock).toBeUndefined();
    expect(await config(ctx, 101)).toMatchObject({ rootfs: "local-lvm:vm-101-disk-0,size=8G", memory: 1024 });
  });

  it("hot-plugs memory on a running container but keeps other changes pending until the next start", async () => {
    // GIVEN a running container
    const ctx = withTemplate();
    await ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { start: "1" }));
    expect(await settled(ctx)).toEqual(["vzcreate OK", "vzstart OK"]);
    expect(await ctx.call("GET", "/nodes/pve1/lxc/100/status/current")).toMatchObject({ status: "running" });

    // WHEN memory and nameserver change
    await ctx.call("PUT", "/nodes/pve1/lxc/100/config", { memory: "1024", nameserver: "10.0.0.53" });

    // THEN memory is current, the nameserver only pending (GET config shows the pending view, current=1 not)
    expect(await ctx.call("GET", "/nodes/pve1/lxc/100/config", { current: "1" })).not.toHaveProperty("nameserver");
    expect(await config(ctx, 100)).toMatchObject({ memory: 1024, nameserver: "10.0.0.53" });
    expect(await ctx.call("GET", "/nodes/pve1/lxc/100/pending")).toEqual(expect.arrayContaining([{ key: "nameserver", pending: "10.0.0.53" }]));

    // WHEN the container reboots THEN the pending change is applied
    expect(await ctx.task("POST", "/nodes/pve1/lxc/100/status/reboot")).toBe("OK");
    expect(await ctx.call("GET", "/nodes/pve1/lxc/100/config", { current: "1" })).toMatchObject({ nameserver: "10.0.0.53" });
  });
});

describe("container power and deletion", () => {
  it("answers a start of a running container and a stop of a stopped one at once", async () => {
    const ctx = withTemplate();
    await ctx.task("POST", "/nodes/pve1/lxc", createArgs(100));
    await expect(ctx.call("POST", "/nodes/pve1/lxc/100/status/stop")).rejects.toThrow("CT 100 not running");
    expect(await ctx.task("POST", "/nodes/pve1/lxc/100/status/start")).toBe("OK");
    await expect(ctx.call("POST", "/nodes/pve1/lxc/100/status/start")).rejects.toThrow("CT 100 already running");
    expect(ctx.tasks.map((t) => t.type)).toEqual(["vzcreate", "vzstart"]);
  });

  it("lets a second start accepted before the first ended succeed, as systemctl start of a running unit does", async () => {
    // GIVEN a stopped container and start tasks that take 50 ms
    const ctx = withTemplate({ vzstart: 50 });
    await ctx.task("POST", "/nodes/pve1/lxc", createArgs(100));

    // WHEN two starts are accepted before either ran (the provider's start after create's start=1)
    await ctx.call("POST", "/nodes/pve1/lxc/100/status/start");
    await ctx.call("POST", "/nodes/pve1/lxc/100/status/start");

    // THEN both tasks end OK and the container runs
    expect(await settled(ctx)).toEqual(["vzcreate OK", "vzstart OK", "vzstart OK"]);
    expect(await ctx.call("GET", "/nodes/pve1/lxc/100/status/current")).toMatchObject({ status: "running" });
  });

  it("refuses to delete a running or protected container, then deletes it with its volume", async () => {
    const ctx = withTemplate();
    await ctx.call("POST", "/nodes/pve1/lxc", createArgs(100, { start: "1", protection: "1" }));
    await settled(ctx);
    await expect(ctx.call("DELETE", "/nodes/pve1/lxc/100")).rejects.toThrow("can't remove CT 100 - protection mode enabled");
    await ctx.call("PUT", "/nodes/pve1/lxc/100/config", { delete: "protection" });
    await expect(ctx.call("DELETE", "/nodes/pve1/lxc/100")).rejects.toThrow("unable to destroy CT 100 - container is running");
    expect(await ctx.task("POST", "/nodes/pve1/lxc/100/status/shutdown")).toBe("OK");
    expect(await ctx.task("DELETE", "/nodes/pve1/lxc/100")).toBe("OK");
    await expect(ctx.call("GET", "/nodes/pve1/lxc/100/status/current")).rejects.toThrow("Configuration file 'nodes/pve1/lxc/100.conf' does not exist");
    expect(ctx.state.toJSON().storage).toMatchObject({ volumes: { pve1: { "local-lvm": {} } } });
    expect(Object.keys((ctx.state.toJSON() as { storage: { volumes: { pve1: Record<string, object> } } }).storage.volumes.pve1["local-lvm"])).toEqual([]);
  });
});

describe("container templates and clones", () => {
  it("turns a container into a template and links a clone to its base volume", async () => {
    const ctx = withTemplate();
    await ctx.task("POST", "/nodes/pve1/lxc", createArgs(100));
    expect(await ctx.call("POST", "/nodes/pve1/lxc/100/template")).toBeNull();
    await ctx.tasks[1].done;
    expect(await config(ctx, 100)).toMatchObject({ template: 1, rootfs: "local-lvm:base-100-disk-0,size=8G" });
    await expect(ctx.call("POST", "/nodes/pve1/lxc/100/status/start")).resolves.toBeDefined();
    expect(await ctx.tasks[2].done).toBe("you can't start a CT if it's a template");

    expect(await ctx.task("POST", "/nodes/pve1/lxc/100/clone", { newid: "101", hostname: "web-2" })).toBe("OK");
    const clone = await config(ctx, 101);
    expect(clone).toMatchObject({ hostname: "web-2", rootfs: "local-lvm:vm-101-disk-0,size=8G" });
    expect(clone.template).toBeUndefined();
    expect(clone.net0).not.toBe((await config(ctx, 100)).net0);
    expect((await config(ctx, 100)).lock).toBeUndefined();
    expect(await ctx.task("DELETE", "/nodes/pve1/lxc/100")).toBe("base volume 'base-100-disk-0' is still in use by linked clones");
  });
});
