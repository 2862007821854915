import { App, TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../../.gen/providers/proxmox/provider";
import { VirtualEnvironmentPool } from "../../../.gen/providers/proxmox/virtual-environment-pool";
import { VirtualEnvironmentPoolMembership } from "../../../.gen/providers/proxmox/virtual-environment-pool-membership";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { TerraformWorkdir, terraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

function poolStack(comment: string): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "sim-pool");
  new ProxmoxProvider(stack, "proxmox", {});
  const pool = new VirtualEnvironmentPool(stack, "pool", { poolId: "web", comment });
  new VirtualEnvironmentPoolMembership(stack, "local", { poolId: pool.poolId, storageId: "local" });
  return stack;
}

describe("resource pool with the real bpg/proxmox provider", () => {
  let sim: RunningSimulator;
  let wd: TerraformWorkdir;
  const pools = () => (sim.state.toJSON().pools as { pools: Record<string, { comment?: string; storage: string[] }> }).pools;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    wd?.cleanup();
    await sim?.stop();
  });

  it("applies a pool with a storage member, re-plans empty, updates its comment and destroys both", async () => {
    // GIVEN a pool with the storage `local` as member
    wd = await terraformWorkdir(poolStack("web tier"), { sim });

    // WHEN it is applied
    await wd.apply();

    // THEN the pool exists with its member
    expect(pools().web).toEqual({ comment: "web tier", vms: [], storage: ["local"] });
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the comment changes
    wd.write(poolStack("web tier v2"));
    expect((await wd.plan()).output).toMatch(/0 to add, 1 to change, 0 to destroy/);
    await wd.apply();

    // THEN the same pool carries the new comment
    expect(pools().web).toMatchObject({ comment: "web tier v2", storage: ["local"] });
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed THEN membership and pool are gone
    await wd.destroy();
    expect(pools()).toEqual({});
  });
});
