import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";
import { debianCloudImage, simView, sshPublicKey } from "./fixtures";
import { addTemplate, stackWith } from "./vm-stacks";

jest.setTimeout(600_000);

describe("template VM from a downloaded cloud image, with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite({ latency: { qmcreate: 300, qmtemplate: 100, resize: 100, download: 200 } });
  const image = debianCloudImage();
  let wd: TerraformWorkdir;
  const key = sshPublicKey("admin@ci");

  const stack = (description: string, tags: string[]) =>
    stackWith("sim-template", (s) => {
      addTemplate(s, { ...image.source(), sshKey: key, password: "change-me", description, tags });
    });

  it("imports the image into a template, re-plans empty, updates in place and destroys everything", async () => {
    // GIVEN a stack downloading a checksummed image and importing it into a hardened template
    // (tags unsorted: the provider ignores their order; they must be lower-case, as PVE stores them)
    wd = await suite.workdir(stack("golden image", ["golden", "debian"]));

    // WHEN it is applied
    await wd.apply();

    // THEN the image is in local's import content and the template holds PVE's view of it
    const { vms, volumes } = simView(suite.sim.state);
    expect(Object.keys(volumes.pve1.local)).toEqual(["import/debian-13-genericcloud-amd64.qcow2"]);
    expect(vms["9000"].conf).toMatchObject({
      template: "1",
      name: "debian-13-template",
      tags: "debian;golden",
      scsi0: "local-lvm:base-9000-disk-0,aio=io_uring,backup=1,cache=none,discard=on,iothread=1,replicate=1,size=8G,ssd=1",
      efidisk0: "local-lvm:base-9000-disk-1,efitype=4m,ms-cert=2023k,pre-enrolled-keys=1,size=4M",
      tpmstate0: "local-lvm:base-9000-disk-2,size=4M,version=v2.0",
      ide2: "local-lvm:vm-9000-cloudinit,media=cdrom",
      net0: expect.stringMatching(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,firewall=1,tag=10$/),
      agent: "enabled=1,fstrim_cloned_disks=0,type=virtio",
      ipconfig0: "gw=10.0.10.1,ip=10.0.10.5/24",
      ciuser: "admin",
      sshkeys: encodeURIComponent(key),
      bios: "ovmf",
      machine: "q35",
      serial0: "socket",
    });
    expect(vms["9000"].run).toBe("stopped");
    // (the import made a 2 GiB disk, which the provider then grew to the configured 8 GiB)
    const tasks = (suite.sim.state.toJSON().tasks as { tasks: Array<{ type: string; id: string; exitstatus?: string }> }).tasks;
    expect(tasks.filter((t) => t.id === "9000").map((t) => [t.type, t.exitstatus])).toEqual([
      ["qmcreate", "OK"],
      ["resize", "OK"],
      ["qmtemplate", "OK"],
    ]);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN description and tags change
    wd.write(stack("golden image v2", ["debian", "golden", "v2"]));
    expect((await wd.plan()).output).toMatch(/0 to add, 1 to change, 0 to destroy/);
    await wd.apply();

    // THEN the same template carries them, and the re-plan is empty again
    expect(simView(suite.sim.state).vms["9000"].conf).toMatchObject({ description: "golden image v2", tags: "debian;golden;v2", template: "1" });
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed THEN no VM and no volume is left
    await wd.destroy();
    const after = simView(suite.sim.state);
    expect(after.vms).toEqual({});
    expect(Object.values(after.volumes.pve1).flatMap((vols) => Object.keys(vols))).toEqual([]);
  });
});
