import { RunningSimulator, startSimulator } from "../../../sim/index";
import { findVm } from "../../../sim/qemu/vm-store";
import { pveCall } from "../../e2e/harness/pve-client";

/** Behaviour an external run of the provider's acceptance tests found different from PVE. */
describe("simulator behaviour matching qemu-server and pve-ha-manager", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  const call = (method: string, path: string, args?: Record<string, string>) => pveCall(sim, method, path, { token: sim.apiToken, args });

  async function taskStatus(node: string, upid: string): Promise<{ type: string; exitstatus?: string }> {
    const r = await call("GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`);
    return r.body.data;
  }

  /** Waits (bounded) until every task of the VM on the node has ended; answers their types and users. */
  async function settledTasks(node: string, vmid: number): Promise<string[]> {
    for (let i = 0; i < 200; i++) {
      // source=all: the default (archive) lists only ended tasks, so a running one would go unseen
      const tasks = (await call("GET", `/nodes/${node}/tasks`, { vmid: String(vmid), source: "all" })).body.data as Array<{
        type: string;
        user: string;
        status: string;
      }>;
      if (tasks.every((t) => t.status !== "running")) return tasks.map((t) => `${t.type} ${t.user} ${t.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`tasks of VM ${vmid} on ${node} still running after 200 polls`);
  }

  /** Creates a VM on pve1 and waits for its qmcreate task to end. */
  async function createVm(vmid: number, args: Record<string, string> = {}): Promise<void> {
    expect((await call("POST", "/nodes/pve1/qemu", { vmid: String(vmid), ...args })).status).toBe(200);
    expect(await settledTasks("pve1", vmid)).toEqual([`qmcreate root@pam!sim OK`]);
  }

  it("reads a description back without its trailing whitespace, as parse_vm_config strips it", async () => {
    // GIVEN a VM created with a multi-line description ending in a newline and blanks
    await createVm(150, { name: "descr", description: "line one\nline two\n\n  \n" });
    // WHEN its config is read
    const created = await call("GET", "/nodes/pve1/qemu/150/config");
    // THEN the description has lost the trailing whitespace, and keeps its inner newline
    expect(created.body.data.description).toBe("line one\nline two");
    // AND an update with trailing whitespace reads back the same way
    await call("PUT", "/nodes/pve1/qemu/150/config", { description: "  indented\tkept\n" });
    expect((await call("GET", "/nodes/pve1/qemu/150/config")).body.data.description).toBe("  indented\tkept");
  });

  it("moves an HA-managed VM through POST /cluster/ha/resources/{sid}/migrate", async () => {
    // GIVEN an HA-managed VM on pve1
    await createVm(160, { name: "ha-vm" });
    expect((await call("POST", "/cluster/ha/resources", { sid: "vm:160" })).status).toBe(200);
    // WHEN the HA manager is asked to migrate it to pve2
    const r = await call("POST", "/cluster/ha/resources/vm%3A160/migrate", { node: "pve2" });
    // THEN the request is answered as pve-ha-manager does, and the VM ends up on pve2
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ sid: "vm:160", "requested-node": "pve2" });
    expect(await settledTasks("pve1", 160)).toEqual(expect.arrayContaining(["qmigrate root@pam OK"]));
    expect(findVm(sim.state, 160)?.node).toBe("pve2");
    expect((await call("GET", "/nodes/pve2/qemu/160/config")).status).toBe(200);
  });

  it("refuses the HA migrate call for a VM that is not HA managed", async () => {
    await createVm(161, { name: "plain" });
    const r = await call("POST", "/cluster/ha/resources/vm%3A161/migrate", { node: "pve2" });
    expect(r.status).toBe(500);
    expect(r.body.message).toBe("resource 'vm:161' is not HA managed\n");
    expect(findVm(sim.state, 161)?.node).toBe("pve1");
  });

  it("answers an hamigrate task to qemu/{vmid}/migrate of an HA-managed VM and lets the HA manager move it", async () => {
    // GIVEN an HA-managed VM on pve1
    await createVm(170, { name: "ha-vm2" });
    await call("POST", "/cluster/ha/resources", { sid: "vm:170" });
    // WHEN it is migrated through the qemu API
    const r = await call("POST", "/nodes/pve1/qemu/170/migrate", { target: "pve3" });
    // THEN the answer is an hamigrate task (not qmigrate), which succeeded
    expect(r.status).toBe(200);
    const upid = r.body.data as string;
    expect(upid.split(":")[5]).toBe("hamigrate");
    // AND the HA manager's own qmigrate task, run as root@pam, moved the VM
    expect(await settledTasks("pve1", 170)).toEqual(expect.arrayContaining(["qmigrate root@pam OK", "hamigrate root@pam!sim OK"]));
    expect(await taskStatus("pve1", upid)).toMatchObject({ type: "hamigrate", exitstatus: "OK" });
    expect(findVm(sim.state, 170)?.node).toBe("pve3");
  });

  it("still migrates a VM without HA in a qmigrate task of the caller", async () => {
    await createVm(180, { name: "plain2" });
    const r = await call("POST", "/nodes/pve1/qemu/180/migrate", { target: "pve2" });
    expect((r.body.data as string).split(":")[5]).toBe("qmigrate");
    expect(await settledTasks("pve1", 180)).toEqual(expect.arrayContaining(["qmigrate root@pam!sim OK"]));
    expect(findVm(sim.state, 180)?.node).toBe("pve2");
  });
});
