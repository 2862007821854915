import { VirtualEnvironmentVm } from "../../../.gen/providers/proxmox/virtual-environment-vm";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import { stackWith } from "./vm-stacks";

jest.setTimeout(600_000);

describe("a multi-line VM description, with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();

  it("re-plans empty after the apply, as against PVE, which strips the trailing newline", async () => {
    // GIVEN a stopped VM whose description spans lines and ends in a newline (as heredocs do)
    const description = "Managed by proxmox-cdk.\nOwner: platform team\n";
    const wd = await suite.workdir(
      stackWith("sim-description", (s) => {
        new VirtualEnvironmentVm(s, "vm", { nodeName: "pve1", vmId: 4242, name: "described", description, started: false, onBoot: false });
      }),
    );

    // WHEN it is applied
    await wd.apply();

    // THEN PVE's view of the description has no trailing newline
    const conf = (suite.sim.state.toJSON().qemu as { vms: Record<string, { conf: Record<string, string> }> }).vms["4242"].conf;
    expect(conf.description).toBe("Managed by proxmox-cdk.\nOwner: platform team");
    // AND the next plan is empty
    expect((await wd.plan()).exitCode).toBe(0);
    await wd.destroy();
  });
});
