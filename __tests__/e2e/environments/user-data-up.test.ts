/**
 * A spec with custom cloud-init user data deployed by `proxmox-cdk up` (its own CLI process, real
 * terraform and provider) to the embedded simulator: the snippet goes over the simulator's SSH
 * endpoint, which the CLI configures (login in the environment, node ports through a variable).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { parse } from "yaml";
import { readSimState, runCli, tempProject } from "./cli-project";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";
const SPEC = `name: ud
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0 } }
templates:
  debian12:
    url: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2
    checksum: ${"ab".repeat(64)}
    checksumAlgorithm: sha512
tiers:
  web:
    memoryMiB: 1024
    diskGiB: 10
    template: debian12
    userData:
      packages: [nginx]
      runcmd: [["systemctl", "enable", "--now", "nginx"], "echo \${HOSTNAME} > /etc/motd"]
cloudInit: { user: ops, sshKeys: ["${KEY}"] }
`;

describe("proxmox-cdk up with cloud-init user data on the embedded simulator", () => {
  const project = tempProject({ "ud.yaml": SPEC });

  it("uploads the tier's cloud-config as a snippet over SSH and points the VM at it, then re-plans empty", async () => {
    // GIVEN a fresh project whose web tier has user data, and no target variables
    // WHEN deploying it
    const r = await runCli(project, ["up", "ud"]);

    // THEN it succeeds
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/up ud: \d+ added, 0 changed, 0 destroyed \(embedded PVE simulator/)]);
    const slices = readSimState(project.simStateFile).slices;
    const vm = Object.values(slices.qemu.vms as Record<string, { conf: Record<string, string> }>).find((v) => v.conf.name === "ud-web-1")!;
    // AND the VM's user data is the snippet on pve1's local storage
    expect(vm.conf.cicustom).toBe("user=local:snippets/ud-web-1-user-data.yaml");
    const snippet = slices.storage.volumes.pve1.local["snippets/ud-web-1-user-data.yaml"];
    expect(snippet).toMatchObject({ content: "snippets", format: "snippet" });
    // AND the uploaded bytes are the cloud-config with the literal text and the hardened user
    const tfState = JSON.parse(fs.readFileSync(`${project.root}/.state/ud/terraform.tfstate`, "utf8"));
    const file = tfState.resources.find((x: { type: string }) => x.type === "proxmox_virtual_environment_file");
    const uploaded: string = file.instances[0].attributes.source_raw[0].data;
    expect(snippet.size).toBe(Buffer.byteLength(uploaded));
    expect(snippet.checksums.sha256).toBe(crypto.createHash("sha256").update(uploaded).digest("hex"));
    const doc = parse(uploaded);
    expect(doc.users[0]).toMatchObject({ name: "ops", ssh_authorized_keys: [KEY], lock_passwd: true });
    expect(doc.packages).toEqual(["openssh-server", "nginx"]);
    expect(doc.runcmd[1]).toBe("echo ${HOSTNAME} > /etc/motd");
    // AND no SSH secret reached the synthesised configuration
    const synthesised = fs.readFileSync(`${project.root}/cdktf.out/stacks/ud/cdk.tf.json`, "utf8");
    const password = (slices.ssh as { password: string }).password;
    expect(synthesised).not.toContain(password);
    expect(r.output).not.toContain(password);

    // WHEN deploying again THEN nothing changes
    const again = await runCli(project, ["up", "ud"]);
    expect([again.exitCode, again.stdout]).toEqual([0, expect.stringMatching(/up ud: no changes/)]);
  }, 480_000);
});
