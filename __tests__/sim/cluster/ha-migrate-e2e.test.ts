import { VirtualEnvironmentHaresource } from "../../../.gen/providers/proxmox/virtual-environment-haresource";
import { VirtualEnvironmentVm } from "../../../.gen/providers/proxmox/virtual-environment-vm";
import { findVm } from "../../../sim/qemu/vm-store";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";

jest.setTimeout(600_000);

/** A running VM managed by HA, on `node`. */
function haVmStack(node: string) {
  const stack = providerStack("sim-ha-migrate");
  const vm = new VirtualEnvironmentVm(stack, "vm", { nodeName: node, vmId: 4300, name: "ha-moved", migrate: true, started: true, onBoot: false });
  new VirtualEnvironmentHaresource(stack, "ha", { dependsOn: [vm], resourceId: "vm:4300", state: "started" });
  return stack;
}

describe("moving a running HA-managed VM, with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();

  it("migrates it through the HA manager's migrate call and re-plans empty", async () => {
    // GIVEN a running HA-managed VM on pve1
    const wd = await suite.workdir(haVmStack("pve1"));
    await wd.apply();
    expect(findVm(suite.sim.state, 4300)?.node).toBe("pve1");

    // WHEN its node changes to pve2
    wd.write(haVmStack("pve2"));
    await wd.apply();

    // THEN the HA manager's qmigrate task (root@pam) moved it, and the next plan is empty
    expect(findVm(suite.sim.state, 4300)?.node).toBe("pve2");
    const tasks = (suite.sim.state.toJSON().tasks as { tasks: Array<{ type: string; id: string; user: string; exitstatus?: string }> }).tasks;
    expect(tasks.filter((t) => t.id === "4300" && t.type === "qmigrate").map((t) => [t.user, t.exitstatus])).toEqual([["root@pam", "OK"]]);
    expect((await wd.plan()).exitCode).toBe(0);
    await wd.destroy();
  });
});
