import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { VirtualEnvironmentFile } from "../../../.gen/providers/proxmox/virtual-environment-file";
import { VirtualEnvironmentVm } from "../../../.gen/providers/proxmox/virtual-environment-vm";
import { pveCall } from "../../e2e/harness/pve-client";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import { qcow2Image, simView } from "../qemu/fixtures";
import { stackWith } from "../qemu/vm-stacks";

jest.setTimeout(600_000);

const USER_DATA = "#cloud-config\npackages:\n  - openssh-server\n";
const HOOK = "#!/bin/sh\nexit 0\n";
const GiB = 1024 ** 3;

describe("snippets uploaded over the simulator's SSH endpoint", () => {
  const suite = simulatorSuite();

  it("uploads snippets over SSH (stream and SFTP), clones a VM whose user data is that snippet, re-plans empty and destroys both", async () => {
    // GIVEN a template, a snippet uploaded through the file resource, and a clone referencing it
    const stack = stackWith("sim-snippet", (s) => {
      const template = new VirtualEnvironmentVm(s, "template", {
        nodeName: "pve1",
        vmId: 9100,
        name: "base",
        template: true,
        started: false,
        disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: 2 }],
      });
      const snippet = new VirtualEnvironmentFile(s, "snippet", {
        nodeName: "pve1",
        datastoreId: "local",
        contentType: "snippets",
        sourceRaw: { data: USER_DATA, fileName: "web-user-data.yaml" },
      });
      new VirtualEnvironmentFile(s, "hook", {
        nodeName: "pve1",
        datastoreId: "local",
        contentType: "snippets",
        uploadMode: "sftp",
        fileMode: "0640",
        sourceRaw: { data: HOOK, fileName: "hook.sh" },
      });
      new VirtualEnvironmentVm(s, "web", {
        nodeName: "pve1",
        vmId: 9101,
        name: "web",
        started: false,
        clone: { vmId: template.vmId, full: false },
        initialization: { datastoreId: "local-lvm", userDataFileId: snippet.id },
      });
    });
    const wd = await suite.workdir(stack);

    // WHEN it is applied
    await wd.apply();

    // THEN the snippet is a volume of local with its size and checksum, listed by the API,
    // and the clone's cloud-init user data points at it
    const snippet = simView(suite.sim.state).volumes.pve1.local["snippets/web-user-data.yaml"];
    expect(snippet).toMatchObject({ content: "snippets", format: "snippet", size: Buffer.byteLength(USER_DATA) });
    expect((snippet as { checksums?: Record<string, string> }).checksums?.sha256).toBe(crypto.createHash("sha256").update(USER_DATA).digest("hex"));
    const listing = await pveCall(suite.sim, "GET", "/nodes/pve1/storage/local/content", { token: suite.sim.apiToken, args: { content: "snippets" } });
    expect(listing.body.data.map((v: { volid: string; size: number }) => [v.volid, v.size])).toEqual([
      ["local:snippets/hook.sh", Buffer.byteLength(HOOK)],
      ["local:snippets/web-user-data.yaml", Buffer.byteLength(USER_DATA)],
    ]);
    expect(simView(suite.sim.state).vms["9101"].conf.cicustom).toBe("user=local:snippets/web-user-data.yaml");
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN it is destroyed THEN neither VM nor the snippet is left
    await wd.destroy();
    const after = simView(suite.sim.state);
    expect(after.vms).toEqual({});
    expect(Object.keys(after.volumes.pve1.local ?? {})).toEqual([]);
  });
});

describe("disks imported from file_id over the simulator's SSH endpoint", () => {
  const suite = simulatorSuite();

  it("imports a disk from file_id over SSH into a VM and into a template, re-plans empty and destroys them", async () => {
    // GIVEN an import image of 1 GiB (uploaded through the API) used as file_id by a VM and a template
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssh-e2e-img-"));
    const imageFile = path.join(dir, "tiny.qcow2");
    fs.writeFileSync(imageFile, qcow2Image(GiB));
    const stack = stackWith("sim-file-id", (s) => {
      const image = new VirtualEnvironmentFile(s, "image", {
        nodeName: "pve1",
        datastoreId: "local",
        contentType: "import",
        sourceFile: { path: imageFile },
      });
      for (const [id, vmId, template] of [
        ["vm", 9200, false],
        ["golden", 9201, true],
      ] as const) {
        new VirtualEnvironmentVm(s, id, {
          nodeName: "pve1",
          vmId,
          name: id,
          template,
          started: false,
          disk: [{ interface: "scsi0", datastoreId: "local-lvm", fileId: image.id, size: 2 }],
        });
      }
    });
    const wd = await suite.workdir(stack);

    // WHEN it is applied
    await wd.apply();

    // THEN each VM's scsi0 is an imported copy of the image grown to 2 GiB — the template's a base volume —
    // and no unused entry is left behind
    const { vms, volumes } = simView(suite.sim.state);
    expect(vms["9200"].conf.scsi0).toMatch(/^local-lvm:vm-9200-disk-0,.*size=2G/);
    expect(vms["9201"].conf.scsi0).toMatch(/^local-lvm:base-9201-disk-0,.*size=2G/);
    expect(vms["9201"].conf.template).toBe("1");
    for (const vm of [vms["9200"], vms["9201"]]) expect(Object.keys(vm.conf).filter((k) => k.startsWith("unused"))).toEqual([]);
    expect(volumes.pve1["local-lvm"]["vm-9200-disk-0"].size).toBe(2 * GiB);
    expect(volumes.pve1["local-lvm"]["base-9201-disk-0"].size).toBe(2 * GiB);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN it is destroyed THEN no VM and no volume is left
    await wd.destroy();
    const after = simView(suite.sim.state);
    expect(after.vms).toEqual({});
    expect(Object.values(after.volumes.pve1).flatMap((vols) => Object.keys(vols))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
