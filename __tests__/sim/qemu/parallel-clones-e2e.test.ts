import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";
import { debianCloudImage, simView, sshPublicKey } from "./fixtures";
import { addClone, addTemplate, stackWith } from "./vm-stacks";

jest.setTimeout(600_000);

const CLONES = 10;
const LOCK_MESSAGE = "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout";

describe("ten parallel clones of one template, with the real bpg/proxmox provider", () => {
  // Each clone spends 1.5 s holding local-lvm's storage lock; PVE waits 10 s for that lock.
  const suite = simulatorSuite({ latency: { qmclone: 1500 } });
  const image = debianCloudImage();
  let wd: TerraformWorkdir;

  it("reproduces the storage lock timeout of clones queued longer than 10 s, and destroys what was made", async () => {
    // GIVEN a template with ten full clones on the same LVM-thin storage (terraform runs ten at once)
    const stack = stackWith("sim-parallel", (s) => {
      const template = addTemplate(s, { ...image.source(), sshKey: sshPublicKey("ci"), description: "golden", tags: ["golden"] });
      for (let i = 0; i < CLONES; i++) {
        addClone(s, template, { id: `web${i}`, vmId: 200 + i, full: true, cores: 1, memoryMiB: 512, diskGiB: 8, tags: ["web"] }, { started: false, agent: { enabled: false } });
      }
    });
    wd = await suite.workdir(stack);

    // WHEN it is applied
    const result = await wd.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10");

    // THEN the apply fails: clones that waited more than 10 s for the storage lock failed as in PVE
    expect(result.code).toBe(1);
    const failures = result.output.split("\n").filter((l) => l.includes(LOCK_MESSAGE));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    const created = (await wd.stateList()).filter((a) => a.startsWith("proxmox_virtual_environment_vm.web"));
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length + failures.length).toBe(CLONES);

    // AND failed clones left no VM behind, finished ones exist unlocked
    const vms = simView(suite.sim.state).vms;
    const clones = Object.values(vms).filter((vm) => vm.vmid >= 200 && vm.vmid < 200 + CLONES);
    expect(clones).toHaveLength(created.length);
    expect(clones.every((vm) => vm.conf.lock === undefined)).toBe(true);

    // WHEN the stack is destroyed THEN nothing is left
    await wd.destroy();
    expect(simView(suite.sim.state).vms).toEqual({});
  });
});
