import { RunningSimulator, startSimulator } from "../../../sim/index";
import { putFile } from "../../../sim/storage/volumes";
import { pveCall } from "../../e2e/harness/pve-client";

/** The lxc family behind the real core: schema validation, schema privileges, shared ids, cluster resources. */
describe("containers through the simulator's API", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
    putFile(sim.state, "pve1", "local", "vztmpl", "alpine-3.22-default_20250617_amd64.tar.xz", { format: "txz", size: 3 * 1024 ** 2 });
  });
  afterAll(() => sim.stop());

  const call = (method: string, path: string, args?: Record<string, string>, token = sim.apiToken) => pveCall(sim, method, path, { token, args });

  /** Waits (bounded) until the task has ended; answers its exit status. */
  async function exitStatus(upid: string): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const s = (await call("GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).body.data as { status: string; exitstatus?: string };
      if (s.status === "stopped") return s.exitstatus ?? "";
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`task ${upid} still running after 200 polls`);
  }

  /** A token of `ops@pve` (no privilege separation) with `role` on `/`. */
  async function operatorToken(role: string): Promise<string> {
    expect((await call("POST", "/access/users", { userid: "ops@pve" })).status).toBe(200);
    const t = await call("POST", "/access/users/ops%40pve/token/ci", { privsep: "0" });
    expect((await call("PUT", "/access/acl", { path: "/", roles: role, users: "ops@pve" })).status).toBe(200);
    return `${t.body.data["full-tokenid"]}=${t.body.data.value}`;
  }

  it("creates a container whose id VMs, nextid and cluster resources then share", async () => {
    // GIVEN a container created from the template
    const r = await call("POST", "/nodes/pve1/lxc", {
      vmid: "100",
      ostemplate: "local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz",
      storage: "local-lvm",
      hostname: "ct-1",
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatch(/^UPID:pve1:.*:vzcreate:100:root@pam!sim:$/);
    expect(await exitStatus(r.body.data)).toBe("OK");

    // THEN it is an lxc row of /cluster/resources, nextid skips it and a VM cannot take its id
    const rows = (await call("GET", "/cluster/resources", { type: "vm" })).body.data as Array<Record<string, unknown>>;
    expect(rows).toContainEqual(
      expect.objectContaining({ id: "lxc/100", type: "lxc", vmid: 100, node: "pve1", name: "ct-1", status: "stopped", maxdisk: 4 * 1024 ** 3 }),
    );
    expect((await call("GET", "/cluster/nextid")).body.data).toBe("101");
    const vm = await call("POST", "/nodes/pve1/qemu", { vmid: "100" });
    expect(vm.statusMessage).toBe("unable to create VM 100 - CT 100 already exists on node 'pve1'");
    expect((await call("GET", "/nodes/pve1/lxc/100/config")).body.data).toMatchObject({
      ostype: "alpine",
      rootfs: "local-lvm:vm-100-disk-0,size=4G",
      unprivileged: 1,
    });
  });

  it("lists a container created into a pool as an lxc member of the pool", async () => {
    expect((await call("POST", "/pools", { poolid: "apps" })).status).toBe(200);
    const r = await call("POST", "/nodes/pve1/lxc", {
      vmid: "103",
      ostemplate: "local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz",
      storage: "local-lvm",
      pool: "apps",
    });
    expect(await exitStatus(r.body.data)).toBe("OK");
    const pools = (await call("GET", "/pools", { poolid: "apps" })).body.data as Array<{ members: unknown[] }>;
    expect(pools[0].members).toEqual([{ id: "lxc/103", type: "lxc", vmid: 103, node: "pve1", name: "CT103", status: "stopped", template: 0 }]);
    expect((await call("DELETE", "/pools", { poolid: "apps" })).statusMessage).toBe("pool 'apps' is not empty (contains VM 103)");
  });

  it("refuses invalid options with the schema's 400 before any handler runs", async () => {
    const r = await call("POST", "/nodes/pve1/lxc", { vmid: "102", ostemplate: "local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz", memory: "lots" });
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveProperty("memory");
  });

  it("gives an auditor the container's status but not its power or deletion", async () => {
    const token = await operatorToken("PVEAuditor");
    expect((await call("GET", "/nodes/pve1/lxc/100/status/current", undefined, token)).body.data).toMatchObject({ status: "stopped", name: "ct-1" });
    expect((await call("POST", "/nodes/pve1/lxc/100/status/start", undefined, token)).statusMessage).toBe("Permission check failed (/vms/100, VM.PowerMgmt)");
    expect((await call("DELETE", "/nodes/pve1/lxc/100", undefined, token)).status).toBe(403);
    expect((await call("PUT", "/nodes/pve1/lxc/100/config", { memory: "1024" }, token)).status).toBe(403);
  });
});
