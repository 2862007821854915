import type { TerraformStack } from "cdktf";
import { VirtualEnvironmentHaresource } from "../../../.gen/providers/proxmox/virtual-environment-haresource";
import { VirtualEnvironmentHarule } from "../../../.gen/providers/proxmox/virtual-environment-harule";
import { putVm } from "../../../sim/qemu/vm-store";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

interface Variant {
  readonly state: string;
  readonly comment: string;
  readonly maxRestart: number;
  readonly nodes: Record<string, number>;
}

function haStack(v: Variant): TerraformStack {
  const stack = providerStack("sim-ha");
  const resource = new VirtualEnvironmentHaresource(stack, "vm", {
    resourceId: "vm:100",
    state: v.state,
    comment: v.comment,
    maxRestart: v.maxRestart,
    maxRelocate: 1,
  });
  new VirtualEnvironmentHarule(stack, "prefer", {
    dependsOn: [resource],
    rule: "prefer-pve1",
    type: "node-affinity",
    resources: ["vm:100"],
    nodes: v.nodes,
    comment: "keep web on pve1",
  });
  return stack;
}

describe("HA resource and rule with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  type Ha = { resources: Record<string, Record<string, string>>; rules: Record<string, Record<string, string>> };
  const ha = () => suite.sim.state.toJSON().ha as Ha;

  beforeAll(() => {
    // HA needs an existing guest; created in the VM store directly so this test does not
    // depend on the VM routes.
    putVm(suite.sim.state, { vmid: 100, node: "pve1", conf: { name: "web-1" }, run: "stopped" });
  });

  it("applies an HA resource with a node-affinity rule, re-plans empty, updates both in place and destroys them", async () => {
    // GIVEN VM 100 under HA with a preference for pve1
    wd = await suite.workdir(haStack({ state: "started", comment: "web", maxRestart: 2, nodes: { pve1: 2, pve2: 1 } }));

    // WHEN it is applied
    await wd.apply();

    // THEN resources.cfg and rules.cfg hold them
    expect(ha().resources["vm:100"]).toEqual({ state: "started", comment: "web", max_restart: "2", max_relocate: "1" });
    expect(ha().rules["prefer-pve1"]).toMatchObject({ type: "node-affinity", resources: "vm:100", nodes: "pve1:2,pve2:1", comment: "keep web on pve1" });
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the requested state, comment, restart limit and node priorities change
    wd.write(haStack({ state: "stopped", comment: "web (maintenance)", maxRestart: 3, nodes: { pve1: 1, pve3: 2 } }));
    expect((await wd.plan()).output).toMatch(/0 to add, 2 to change, 0 to destroy/);
    await wd.apply();

    // THEN both are updated in place
    expect(ha().resources["vm:100"]).toMatchObject({ state: "stopped", comment: "web (maintenance)", max_restart: "3" });
    expect(ha().rules["prefer-pve1"].nodes).toBe("pve1:1,pve3:2");
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed THEN VM 100 is no longer HA-managed and the rule is gone
    await wd.destroy();
    expect(ha().resources).toEqual({});
    expect(ha().rules).toEqual({});
  });
});
