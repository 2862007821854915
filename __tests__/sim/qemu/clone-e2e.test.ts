import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";
import { debianCloudImage, simView, sshPublicKey } from "./fixtures";
import { addClone, addTemplate, stackWith } from "./vm-stacks";

jest.setTimeout(600_000);

describe("full and linked clones of a template, with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite({ latency: { qmcreate: 200, qmclone: 300, qmstart: 200, resize: 100, download: 100 } });
  const image = debianCloudImage();
  let wd: TerraformWorkdir;
  const key = sshPublicKey("admin@ci");

  const stack = (cores: number, memoryMiB: number, fullDiskGiB: number, tags: string[]) =>
    stackWith("sim-clones", (s) => {
      const template = addTemplate(s, { ...image.source(), sshKey: key, description: "golden", tags: ["golden"] });
      addClone(s, template, { id: "full", vmId: 101, full: true, cores, memoryMiB, diskGiB: fullDiskGiB, tags });
      addClone(s, template, { id: "linked", vmId: 102, full: false, cores, memoryMiB, diskGiB: 8, tags });
    });

  it("clones, re-plans empty, resizes and updates in place, and destroys", async () => {
    // GIVEN a template, a full clone with a 10 GiB disk and a linked clone
    wd = await suite.workdir(stack(2, 1024, 10, ["web"]));

    // WHEN it is applied
    await wd.apply();

    // THEN both clones run with their own cloud-init address; the linked one sits on the template's base volumes
    const { vms, volumes } = simView(suite.sim.state);
    expect(vms["101"]).toMatchObject({
      run: "running",
      conf: { name: "full", cores: "2", memory: "1024", tags: "web", ipconfig0: "gw=10.0.10.1,ip=10.0.10.101/24" },
    });
    expect(vms["101"].conf.scsi0).toMatch(/^local-lvm:vm-101-disk-\d,.*size=10G/);
    expect(vms["102"]).toMatchObject({ run: "running", conf: { name: "linked", ipconfig0: "gw=10.0.10.1,ip=10.0.10.102/24" } });
    const lvm = volumes.pve1["local-lvm"];
    expect(Object.values(lvm).filter((v) => v.vmid === 101 && v.parent)).toEqual([]);
    expect(
      Object.values(lvm)
        .filter((v) => v.vmid === 102 && v.parent)
        .map((v) => v.parent)
        .sort(),
    ).toEqual(["base-9000-disk-0", "base-9000-disk-1"]);
    expect(vms["101"].conf.net0).not.toBe(vms["9000"].conf.net0);

    // AND the provider learnt the guest agent's addresses
    const state = await wd.showJson();
    const full = state.values.root_module.resources.find((r: { address: string }) => r.address === "proxmox_virtual_environment_vm.full");
    expect(full.values.ipv4_addresses).toEqual([["127.0.0.1"], ["10.0.10.101"]]);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN cores, memory and tags change and the full clone's disk grows to 12 GiB
    wd.write(stack(4, 1536, 12, ["web", "blue"]));
    expect((await wd.plan()).output).toMatch(/0 to add, 2 to change, 0 to destroy/);
    await wd.apply();

    // THEN the same VMs carry the new values, and the re-plan is empty
    const updated = simView(suite.sim.state).vms;
    expect(updated["101"].conf).toMatchObject({ cores: "4", memory: "1536", tags: "blue;web" });
    expect(updated["101"].conf.scsi0).toMatch(/size=12G/);
    expect(updated["102"].conf).toMatchObject({ cores: "4", memory: "1536", tags: "blue;web" });
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed THEN no VM and no volume is left
    await wd.destroy();
    const after = simView(suite.sim.state);
    expect(after.vms).toEqual({});
    expect(Object.values(after.volumes.pve1).flatMap((vols) => Object.keys(vols))).toEqual([]);
  });
});
