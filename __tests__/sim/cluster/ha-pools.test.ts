import { putVm } from "../../../sim/qemu/vm-store";
import { routes as haRoutes } from "../../../sim/routes/ha";
import { routes as poolRoutes } from "../../../sim/routes/pools";
import { call, fakeSim } from "./fake-sim";

function simWithVm() {
  const sim = fakeSim();
  putVm(sim.state, { vmid: 100, node: "pve1", conf: { name: "web-1" }, run: "running" });
  return sim;
}

describe("HA on a PVE 9 cluster", () => {
  it("manages only existing VMs and answers a missing resource the way the provider maps to 'gone'", async () => {
    const sim = simWithVm();
    await expect(call(haRoutes, sim, "POST", "/cluster/ha/resources", {}, { sid: "vm:101" })).rejects.toThrow("resource 'vm:101' does not exist in cluster");
    await call(haRoutes, sim, "POST", "/cluster/ha/resources", {}, { sid: "100", state: "started", max_restart: "2" });
    expect(await call(haRoutes, sim, "GET", "/cluster/ha/resources/{sid}", { sid: "vm:100" })).toMatchObject({
      sid: "vm:100",
      type: "vm",
      state: "started",
      max_restart: 2,
    });
    await expect(call(haRoutes, sim, "GET", "/cluster/ha/resources/{sid}", { sid: "vm:102" })).rejects.toThrow("no such resource 'vm:102'");
  });

  it("refuses HA groups, which PVE 9 migrated to rules", async () => {
    const sim = simWithVm();
    await expect(call(haRoutes, sim, "POST", "/cluster/ha/groups", {}, { group: "g", nodes: "pve1" })).rejects.toThrow("ha groups have been migrated to rules");
    await expect(call(haRoutes, sim, "POST", "/cluster/ha/resources", {}, { sid: "vm:100", group: "g" })).rejects.toThrow("invalid parameter 'group'");
  });

  it("deletes a rule whose only resource leaves HA", async () => {
    const sim = simWithVm();
    await call(haRoutes, sim, "POST", "/cluster/ha/resources", {}, { sid: "vm:100" });
    await call(haRoutes, sim, "POST", "/cluster/ha/rules", {}, { rule: "r1", type: "node-affinity", resources: "vm:100", nodes: "pve2:1,pve1:0" });
    expect(await call(haRoutes, sim, "GET", "/cluster/ha/rules/{rule}", { rule: "r1" })).toMatchObject({ nodes: "pve1,pve2:1", order: 1 });
    await call(haRoutes, sim, "DELETE", "/cluster/ha/resources/{sid}", { sid: "vm:100" });
    expect(await call(haRoutes, sim, "GET", "/cluster/ha/rules")).toEqual([]);
  });
});

describe("resource pools", () => {
  it("answers GET /pools?poolid= as a one-element list with typed members", async () => {
    const sim = simWithVm();
    await call(poolRoutes, sim, "POST", "/pools", {}, { poolid: "web", comment: "" });
    await call(poolRoutes, sim, "PUT", "/pools", {}, { poolid: "web", vms: "100", storage: "local" });
    expect(await call(poolRoutes, sim, "GET", "/pools", {}, { poolid: "web" })).toEqual([
      {
        poolid: "web",
        comment: "",
        members: [
          expect.objectContaining({ id: "qemu/100", type: "qemu", vmid: 100, node: "pve1" }),
          expect.objectContaining({ id: "storage/pve1/local", type: "storage", storage: "local", node: "pve1" }),
        ],
      },
    ]);
    await expect(call(poolRoutes, sim, "GET", "/pools", {}, { poolid: "nope" })).rejects.toThrow("pool 'nope' does not exist");
  });

  it("moves a VM between pools only with allow-move and deletes only empty pools", async () => {
    const sim = simWithVm();
    for (const poolid of ["a", "b"]) await call(poolRoutes, sim, "POST", "/pools", {}, { poolid });
    await call(poolRoutes, sim, "PUT", "/pools/{poolid}", { poolid: "a" }, { vms: "100" });
    await expect(call(poolRoutes, sim, "PUT", "/pools/{poolid}", { poolid: "b" }, { vms: "100" })).rejects.toThrow("'allow-move' is not set");
    await call(poolRoutes, sim, "PUT", "/pools/{poolid}", { poolid: "b" }, { vms: "100", "allow-move": "1" });
    await call(poolRoutes, sim, "DELETE", "/pools", {}, { poolid: "a" });
    await expect(call(poolRoutes, sim, "DELETE", "/pools", {}, { poolid: "b" })).rejects.toThrow("pool 'b' is not empty (contains VM 100)");
  });
});
