import { FaultInjector, parseFaults } from "../../../sim/faults";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { routes as nodeRoutes } from "../../../sim/routes/nodes";
import { pveCall } from "../../e2e/harness/pve-client";

describe("fault spec", () => {
  it("parses HTTP and task rules with rates", () => {
    const rules = parseFaults("POST:/nodes/*/qemu/*/clone=500@0.3,GET:/cluster/resources=delay:2s@0.1,task:qmclone=fail@0.5");
    expect(rules.map((r) => [r.kind, r.method, r.effect, r.rate])).toEqual([
      ["http", "POST", { status: 500 }, 0.3],
      ["http", "GET", { delayMs: 2000 }, 0.1],
      ["task", "*", { fail: true }, 0.5],
    ]);
  });

  it.each([
    ["GET:/version=200", /status 400-599/],
    ["task:qmclone=500", /task rule's effect is "fail" or "delay/],
    ["GET:/version=503@1.5", /rate after @ must be between 0 and 1/],
    ["FETCH:/version=503", /METHOD = GET, POST, PUT, DELETE or \*/],
    ["no-equals-sign", /expected TARGET=EFFECT/],
    ["GET:/version=delay:soon", /"soon" is not a duration/],
  ])("rejects %s with a message naming the problem", (spec, message) => {
    expect(() => parseFaults(spec)).toThrow(message);
  });

  it("matches one segment with * and any number with **", () => {
    const one = new FaultInjector(parseFaults("*:/nodes/*/qemu=500"), 1);
    expect(one.forRequest("GET", "/nodes/pve1/qemu").status).toBe(500);
    expect(one.forRequest("GET", "/nodes/pve1/x/qemu").status).toBeUndefined();
    const any = new FaultInjector(parseFaults("DELETE:/nodes/**=500"), 1);
    expect(any.forRequest("DELETE", "/nodes/pve1/qemu/100").status).toBe(500);
    expect(any.forRequest("GET", "/nodes/pve1/qemu/100").status).toBeUndefined();
  });
});

describe("faults in a running simulator", () => {
  const sims: RunningSimulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });

  async function statusesOf(seed: number, faults: string, count = 40): Promise<number[]> {
    const sim = await startSimulator({ seed, faults, routes: nodeRoutes });
    sims.push(sim);
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push((await pveCall(sim, "GET", "/version", { token: sim.apiToken })).status);
    return out;
  }

  it("repeats the same faults for the same seed and request sequence", async () => {
    const a = await statusesOf(7, "GET:/version=503@0.5");
    const b = await statusesOf(7, "GET:/version=503@0.5");
    expect(a).toEqual(b);
    // the rate is honoured: both outcomes occur
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });

  it("gives another fault sequence for another seed", async () => {
    expect(await statusesOf(7, "GET:/version=503@0.5")).not.toEqual(await statusesOf(8, "GET:/version=503@0.5"));
  });

  it("delays matching requests", async () => {
    const sim = await startSimulator({ faults: "GET:/version=delay:300ms", routes: nodeRoutes });
    sims.push(sim);
    const began = Date.now();
    expect((await pveCall(sim, "GET", "/version", { token: sim.apiToken })).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
  });

  it("applies faults only after authentication", async () => {
    const sim = await startSimulator({ faults: "*:/**=500", routes: nodeRoutes });
    sims.push(sim);
    expect((await pveCall(sim, "GET", "/version")).status).toBe(401);
    const faulted = await pveCall(sim, "GET", "/version", { token: sim.apiToken });
    expect(faulted.status).toBe(500);
    expect(faulted.statusMessage).toMatch(/^simulated fault/);
  });
});

describe("what a fault leaves behind", () => {
  const sims: RunningSimulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });

  async function boot(options: {
    faults: string;
    latency?: Record<string, number>;
  }): Promise<{ sim: RunningSimulator; call: (m: string, path: string, args?: Record<string, string | number>) => ReturnType<typeof pveCall> }> {
    const sim = await startSimulator(options);
    sims.push(sim);
    return { sim, call: (m, path, args) => pveCall(sim, m, path, { token: sim.apiToken, args }) };
  }

  async function finished(call: Awaited<ReturnType<typeof boot>>["call"], upid: string): Promise<string> {
    for (;;) {
      const s = (await call("GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).body.data;
      if (s.status === "stopped") return s.exitstatus;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("answers a faulted request before its handler runs: a refused create leaves no VM and starts no task", async () => {
    // GIVEN every VM create is answered 500, as when pveproxy fails before forking a worker
    const { call } = await boot({ faults: "POST:/nodes/*/qemu=500" });

    // WHEN a VM is created
    const r = await call("POST", "/nodes/pve1/qemu", { vmid: 100, name: "web", scsi0: "local-lvm:1" });

    // THEN the request failed, and PVE's state shows neither the VM, its disk nor a task
    expect(r.status).toBe(500);
    expect((await call("GET", "/cluster/resources", { type: "vm" })).body.data).toEqual([]);
    expect((await call("GET", "/nodes/pve1/storage/local-lvm/content")).body.data).toEqual([]);
    expect((await call("GET", "/nodes/pve1/tasks")).body.data).toEqual([]);
  });

  it("fails a faulted clone task and removes the config and volumes its worker had begun, as PVE's clone cleanup does", async () => {
    // GIVEN a template and a fault failing every clone task, which runs 300 ms
    const { call } = await boot({ faults: "task:qmclone=fail", latency: { qmclone: 300 } });
    expect(await finished(call, (await call("POST", "/nodes/pve1/qemu", { vmid: 100, name: "golden", scsi0: "local-lvm:1" })).body.data)).toBe("OK");
    expect(await finished(call, (await call("POST", "/nodes/pve1/qemu/100/template")).body.data)).toBe("OK");

    // WHEN it is cloned
    const upid = (await call("POST", "/nodes/pve1/qemu/100/clone", { newid: 101, full: 1 })).body.data;

    // THEN while the task runs the new VM exists locked, as PVE writes it at the start of the worker
    const during = (await call("GET", "/cluster/resources", { type: "vm" })).body.data as Array<{ vmid: number; lock?: string }>;
    expect(during.find((v) => v.vmid === 101)).toMatchObject({ lock: "clone" });

    // AND when the task failed, only the template is left: no VM 101 and no volume of it
    expect(await finished(call, upid)).toMatch(/^simulated task failure/);
    expect(((await call("GET", "/cluster/resources", { type: "vm" })).body.data as Array<{ vmid: number }>).map((v) => v.vmid)).toEqual([100]);
    const volumes = ((await call("GET", "/nodes/pve1/storage/local-lvm/content")).body.data as Array<{ vmid: number }>).map((v) => v.vmid);
    expect(volumes).not.toContain(101);
  });
});
