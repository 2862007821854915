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
