/**
 * Literal text end to end: a spec whose image URL, firewall intent comments and SSH key comment
 * hold Terraform template sequences is synthesised, planned and applied with the real terraform and
 * bpg/proxmox provider against the simulator, which must receive exactly the text of the spec —
 * not a file of this machine, not an error about an undefined variable.
 */
import { Testing } from "cdktf";
import { parseLocatedEnvironment, resolveDefaults } from "../../../envspec";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { apiGet } from "../constructs/sim-api";
import { simulatorSuite } from "../harness/simulator-suite";
import { TerraformWorkdir } from "../harness/terraform-workdir";

jest.setTimeout(600_000);

const URL = 'https://images.example/${file("/etc/hostname")}/x%{endif}/debian-12.qcow2';
const ALLOW_COMMENT = "pg ${var.x} %{ if true }y%{ endif } $${kept}";
const EXPOSE_COMMENT = "https ${file(var.path)} %%{kept}";
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl ops ${file("/etc/passwd")}';

/** YAML single quotes keep every character but `'` as written. */
const SPEC = `
name: lit
stage: dev
nodes: [pve1]
network:
  bridge:
    name: vmbr0
templates:
  debian12:
    url: '${URL}'
    checksum: ${"ab".repeat(64)}
    checksumAlgorithm: sha512
tiers:
  web: { memoryMiB: 512, diskGiB: 8, template: debian12 }
  db: { memoryMiB: 512, diskGiB: 8, template: debian12 }
firewall:
  allow:
    - { from: web, to: db, port: postgres, comment: '${ALLOW_COMMENT}' }
  expose:
    - { tier: web, port: https, from: 0.0.0.0/0, comment: '${EXPOSE_COMMENT}' }
cloudInit:
  user: ops
  sshKeys: ['${KEY}']
`;

type Data = Record<string, any>;

describe("a spec with ${…} and %{…} in its free text, applied with the real provider", () => {
  const suite = simulatorSuite({ nodes: ["pve1"] });
  let wd: TerraformWorkdir;

  it("hands PVE the URL, comments and key exactly as the spec writes them, and re-plans empty", async () => {
    // GIVEN the spec, synthesised as the CLI does (state kept in the workdir)
    const located = parseLocatedEnvironment(SPEC, "environments/lit.yaml");
    const stack = new EnvironmentStack(Testing.app(), "lit", { env: resolveDefaults(located.spec), locate: located.locate, localStateDir: "." });
    wd = await suite.workdir(stack);

    // WHEN it is applied
    await wd.apply();

    // THEN the download PVE ran is of the literal URL
    const vms: Data[] = await apiGet(suite.sim, "/nodes/pve1/qemu");
    const template = vms.find((v) => v.template === 1)!;
    const tasks: Data[] = await apiGet(suite.sim, "/nodes/pve1/tasks", { typefilter: "download" });
    expect(tasks).toHaveLength(1);
    const log: Data[] = await apiGet(suite.sim, `/nodes/pve1/tasks/${encodeURIComponent(tasks[0].upid)}/log`);
    expect(log.map((l) => l.t)).toContainEqual(expect.stringContaining(`downloading ${URL} to `));
    // AND the template records it in its description
    expect((await apiGet(suite.sim, `/nodes/pve1/qemu/${template.vmid}/config`)).description).toContain(`image: ${URL}\n`);

    // AND the firewall rules carry the intents' comments as written
    const byName = Object.fromEntries(vms.map((v) => [v.name, v.vmid]));
    const rules = async (name: string): Promise<string[]> =>
      (await apiGet(suite.sim, `/nodes/pve1/qemu/${byName[name]}/firewall/rules`)).map((r: Data) => r.comment);
    expect(await rules("lit-db-1")).toContain(ALLOW_COMMENT);
    expect(await rules("lit-web-1")).toContain(EXPOSE_COMMENT);
    // AND cloud-init got the key with its comment (PVE stores sshkeys URL-encoded)
    const db = await apiGet(suite.sim, `/nodes/pve1/qemu/${byName["lit-db-1"]}/config`);
    expect(decodeURIComponent(db.sshkeys).trim()).toBe(KEY);

    // WHEN it is planned again THEN nothing changes
    const plan = await wd.plan();
    expect([plan.exitCode, plan.exitCode === 0 ? "" : plan.output]).toEqual([0, ""]);
  });
});
