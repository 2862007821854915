import { registerClusterResources } from "../../../sim/cluster-resources";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { routes as accessRoutes } from "../../../sim/routes/access";
import { routes as nodeRoutes } from "../../../sim/routes/nodes";
import { pveCall } from "../../e2e/harness/pve-client";

// A family's contribution, as sim/routes/<family>.ts would register it.
registerClusterResources((sim) =>
  sim.state
    .slice<number[]>("test-vms", () => [])
    .map((vmid) => ({ id: `qemu/${vmid}`, type: "qemu", vmid, node: "pve2", name: `vm${vmid}`, status: "stopped" })),
);

describe("simulator nodes and cluster routes", () => {
  let sim: RunningSimulator;
  const get = (path: string, args?: Record<string, string>) => pveCall(sim, "GET", path, { token: sim.apiToken, args });
  beforeEach(async () => {
    sim = await startSimulator({ nodes: ["alpha", "beta"], routes: [...accessRoutes, ...nodeRoutes] });
  });
  afterEach(() => sim.stop());

  it("lists the configured nodes with the fields bpg/proxmox decodes", async () => {
    const nodes = (await get("/nodes")).body.data;
    expect(nodes.map((n: { node: string }) => n.node)).toEqual(["alpha", "beta"]);
    expect(nodes[0]).toMatchObject({ status: "online", maxcpu: expect.any(Number), maxmem: expect.any(Number) });
    expect(nodes[0].ssl_fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("answers an unknown node as PVE does when it cannot reach it", async () => {
    expect((await get("/nodes/gamma/status")).status).toBe(500);
    expect((await get("/nodes/alpha/status")).status).toBe(200);
  });

  it("merges the resource rows of every family, filtered by type", async () => {
    sim.state.slice<number[]>("test-vms", () => []).push(100, 101);
    // (other families' rows, e.g. storages, are there too)
    const all = (await get("/cluster/resources")).body.data.map((r: { id: string }) => r.id);
    expect(all).toEqual(expect.arrayContaining(["node/alpha", "node/beta", "qemu/100", "qemu/101"]));
    const vms = (await get("/cluster/resources", { type: "vm" })).body.data.map((r: { id: string }) => r.id);
    expect(vms).toEqual(["qemu/100", "qemu/101"]);
  });

  it("hands out the lowest free VM id, and refuses a taken one like PVE", async () => {
    sim.state.slice<number[]>("test-vms", () => []).push(100, 101);
    expect((await get("/cluster/nextid")).body.data).toBe("102");
    const taken = await get("/cluster/nextid", { vmid: "101" });
    expect(taken.status).toBe(400);
    expect(taken.body.errors.vmid).toBe("VM 101 already exists");
    expect((await get("/cluster/nextid", { vmid: "150" })).body.data).toBe("150");
  });

  it("reports a quorate cluster of the configured nodes", async () => {
    const status = (await get("/cluster/status")).body.data;
    expect(status[0]).toMatchObject({ type: "cluster", nodes: 2, quorate: 1 });
    expect(status.slice(1).map((n: { name: string }) => n.name)).toEqual(["alpha", "beta"]);
  });

  it("refuses node names PVE would not accept", async () => {
    await expect(startSimulator({ nodes: ["bad_name"] })).rejects.toThrow('Simulator nodes: "bad_name" is not a valid PVE node name');
  });
});
