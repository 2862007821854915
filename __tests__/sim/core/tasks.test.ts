import { authId } from "../../../sim/access-model";
import { RunningSimulator, SimulatorOptions, startSimulator } from "../../../sim/index";
import { route, Route } from "../../../sim/route";
import { routes as accessRoutes } from "../../../sim/routes/access";
import { routes as taskRoutes } from "../../../sim/routes/tasks";
import { pveCall } from "../../e2e/harness/pve-client";

/** What the test route's tasks did. */
interface Probe {
  worked: string[];
  cleaned: string[];
  failWith?: string;
}

/** A route that starts a `qmstart` task, as a family handler would. */
function startRoute(probe: Probe): Route {
  return route("POST", "/nodes/{node}/qemu/{vmid}/status/start", (req, sim) =>
    sim.startTask(
      req.params.node,
      "qmstart",
      req.params.vmid,
      authId(req.auth),
      (task) => {
        task.log("starting VM");
        if (probe.failWith) throw new Error(probe.failWith);
        probe.worked.push(req.params.vmid);
      },
      { cleanup: () => probe.cleaned.push(req.params.vmid) },
    ),
  );
}

describe("simulator tasks", () => {
  let sim: RunningSimulator;
  let probe: Probe;
  const start = (vmid: number) => pveCall(sim, "POST", `/nodes/pve1/qemu/${vmid}/status/start`, { token: sim.apiToken });
  const status = (upid: string) => pveCall(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`, { token: sim.apiToken });
  const log = (upid: string) => pveCall(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { token: sim.apiToken });

  async function boot(options: SimulatorOptions = {}): Promise<void> {
    probe = { worked: [], cleaned: [] };
    sim = await startSimulator({ ...options, routes: [...accessRoutes, ...taskRoutes, startRoute(probe)] });
  }
  afterEach(() => sim.stop());

  it("returns a UPID in PVE's format (UPID:node:pid:pstart:starttime:type:id:user:)", async () => {
    await boot();
    const upid: string = (await start(100)).body.data;
    expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:100:root@pam!sim:$/);
  });

  it("completes a task immediately when no latency is configured", async () => {
    await boot();
    const upid: string = (await start(100)).body.data;
    const s = (await status(upid)).body.data;
    expect(s).toMatchObject({ status: "stopped", exitstatus: "OK", type: "qmstart", id: "100", node: "pve1", user: "root@pam!sim", upid });
    expect(typeof s.pid).toBe("number");
    expect((await log(upid)).body.data).toEqual([
      { n: 1, t: "starting VM" },
      { n: 2, t: "TASK OK" },
    ]);
    expect(probe.worked).toEqual(["100"]);
  });

  it("keeps a task running for its type's latency, and runs slow tasks concurrently", async () => {
    await boot({ latency: { qmstart: 400 } });
    const began = Date.now();
    const [a, b] = await Promise.all([start(100), start(101)]);
    expect((await status(a.body.data)).body.data.status).toBe("running");
    while ((await status(b.body.data)).body.data.status === "running" || (await status(a.body.data)).body.data.status === "running") {
      await new Promise((r) => setTimeout(r, 20));
    }
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(400);
    // Two 400 ms tasks one after the other would need 800 ms.
    expect(took).toBeLessThan(780);
    expect(probe.worked.sort()).toEqual(["100", "101"]);
  });

  it("ends with the error as exit status when the work throws", async () => {
    await boot();
    probe.failWith = "unable to start VM 100 - no disk";
    const upid: string = (await start(100)).body.data;
    expect((await status(upid)).body.data.exitstatus).toBe("unable to start VM 100 - no disk");
    expect((await log(upid)).body.data.at(-1).t).toBe("TASK ERROR: unable to start VM 100 - no disk");
    expect(probe.cleaned).toEqual(["100"]);
  });

  it("fails a task by fault without running its work, but still runs its cleanup", async () => {
    await boot({ faults: "task:qmstart=fail" });
    const upid: string = (await start(100)).body.data;
    expect((await status(upid)).body.data.exitstatus).toMatch(/^simulated task failure/);
    expect(probe.worked).toEqual([]);
    expect(probe.cleaned).toEqual(["100"]);
  });

  it("lists a node's tasks, newest first", async () => {
    await boot();
    const first: string = (await start(100)).body.data;
    const second: string = (await start(101)).body.data;
    const list = (await pveCall(sim, "GET", "/nodes/pve1/tasks", { token: sim.apiToken })).body.data;
    expect(list.map((t: { upid: string }) => t.upid)).toEqual([second, first]);
    expect(list[0]).toMatchObject({ status: "OK", type: "qmstart" });
  });
});
