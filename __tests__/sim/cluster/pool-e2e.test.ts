import type { TerraformStack } from "cdktf";
import { VirtualEnvironmentPool } from "../../../.gen/providers/proxmox/virtual-environment-pool";
import { VirtualEnvironmentPoolMembership } from "../../../.gen/providers/proxmox/virtual-environment-pool-membership";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

function poolStack(comment: string): TerraformStack {
  const stack = providerStack("sim-pool");
  const pool = new VirtualEnvironmentPool(stack, "pool", { poolId: "web", comment });
  new VirtualEnvironmentPoolMembership(stack, "local", { poolId: pool.poolId, storageId: "local" });
  return stack;
}

describe("resource pool with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  const pools = () => (suite.sim.state.toJSON().pools as { pools: Record<string, { comment?: string; storage: string[] }> }).pools;

  it("applies a pool with a storage member, re-plans empty, updates its comment and destroys both", async () => {
    // GIVEN a pool with the storage `local` as member
    wd = await suite.workdir(poolStack("web tier"));

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
