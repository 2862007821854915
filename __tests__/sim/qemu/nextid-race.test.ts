import { RunningSimulator, startSimulator } from "../../../sim/index";
import { ALLOC_LATENCY_KEY } from "../../../sim/qemu/storage-lock";
import { apiGet, apiWrite } from "../../e2e/constructs/sim-api";

describe("/cluster/nextid under concurrent clones (pve-manager API2/Cluster.pm nextid: no reservation)", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ latency: { qmclone: 1000, [ALLOC_LATENCY_KEY]: 50 } });
    // a stopped VM with one new 1 GiB disk, the source of the clones
    await apiWrite(sim, "POST", "/nodes/pve1/qemu", { vmid: 100, name: "source", scsi0: "local-lvm:1" });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("gives two callers the same id, and the later clone to that id is refused once the first one wrote its config", async () => {
    // GIVEN two callers asking for a free id before either clones
    const first = await apiGet(sim, "/cluster/nextid");
    const second = await apiGet(sim, "/cluster/nextid");
    expect(second).toBe(first);

    // WHEN both clone to it
    const upid = await apiWrite(sim, "POST", "/nodes/pve1/qemu/100/clone", { newid: first, full: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));

    // THEN the first clone runs and the second is refused with PVE's message, which bpg/proxmox's
    // clone retry takes for "already done" (retry.ErrorContains("already exists")): two resources would own one VM
    expect(String(upid)).toMatch(/^UPID:pve1:.*:qmclone:100:/);
    await expect(apiWrite(sim, "POST", "/nodes/pve1/qemu/100/clone", { newid: second, full: 1 })).rejects.toThrow(
      /500 unable to create VM \d+: config file already exists/,
    );
    // AND nextid, asked now, skips the id the running clone holds
    expect(Number(await apiGet(sim, "/cluster/nextid"))).toBe(Number(first) + 1);
  });

  it("asserts an explicit id only at the time of the check (nextid?vmid=N reserves nothing)", async () => {
    // GIVEN an id that is free
    const id = 4242;
    // WHEN two callers assert it
    // THEN both are told it is free
    expect(Number(await apiGet(sim, "/cluster/nextid", { vmid: id }))).toBe(id);
    expect(Number(await apiGet(sim, "/cluster/nextid", { vmid: id }))).toBe(id);
  });
});
