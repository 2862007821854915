import { Testing } from "cdktf";
import { checkDeployedVms } from "../../../deploy/check-vms";
import type { VmRow } from "../../../inventory/ansible-inventory";
import { simulatorTarget } from "../review/sim-project";
import { parseEnvironment, resolveDefaults } from "../../../envspec";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";
import { apiGet, leftovers, NOTHING_LEFT } from "../constructs/sim-api";
import { simulatorSuite } from "../harness/simulator-suite";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;
const ISO = "Win11_24H2_English_x64.iso";

/** A dev environment: a Linux db tier and two Windows desktops (static pool) allowed to reach postgres on db, RDP exposed to an office range. */
function specText(images: ImageServer, key: string): string {
  return `
name: winenv
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0, subnet: 10.50.0.0/24, gateway: 10.50.0.1 } }
templates:
  debian:
    url: ${images.url("debian.qcow2")}
    checksum: ${images.sha256("debian.qcow2")}
    checksumAlgorithm: sha256
windowsInstallers:
  win11:
    url: ${images.url(ISO)}
    checksum: ${images.sha256(ISO)}
    checksumAlgorithm: sha256
tiers:
  db: { template: debian, memoryMiB: 1024, diskGiB: 8, ipv4: 10.50.0.16/28 }
  desk: { os: windows, count: 2, template: win11, cores: 2, memoryMiB: 4096, diskGiB: 64, ipv4: 10.50.0.32/28 }
firewall:
  allow:
    - { from: desk, to: db, port: postgres }
  expose:
    - { tier: desk, port: rdp, from: 203.0.113.0/24 }
vmIdRange: { start: 2000, end: 2999 }
cloudInit: { user: ops, sshKeys: ["${key}"] }
`;
}

const resolve = (text: string) => resolveDefaults(parseEnvironment(text, "environments/winenv.yaml"));

/** The synthesised Terraform JSON of the environment (policy pack on), state kept in the workdir. */
function environmentJson(text: string): Record<string, any> {
  const stack = new EnvironmentStack(Testing.app(), "winenv", { env: resolve(text) });
  const json = JSON.parse(Testing.synth(stack));
  delete json.terraform.backend;
  return json;
}

/** The fields of a rule that say what it lets through. */
const ruleShape = (r: Record<string, unknown>) =>
  Object.fromEntries(["type", "action", "source", "proto", "dport"].filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));

describe("a Windows tier from the spec, applied with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite({ latency: { download: 50 } });
  let images: ImageServer;
  const key = sshPublicKey("ops@win-e2e");
  beforeAll(async () => {
    images = await serveImages({ "debian.qcow2": qcow2Image(2 * GiB), [ISO]: Buffer.from("a Windows installer ISO with a checksum") });
  });
  afterAll(async () => images?.close());

  it("downloads the installer ISO, runs two Windows VMs with Secure Boot, TPM 2.0 and VirtIO in the firewall intents, re-plans empty and destroys to an empty simulator", async () => {
    // GIVEN the environment, synthesised with the policy pack on (it would throw on an error-level finding)
    const text = specText(images, key);
    const wd = await suite.workdir(environmentJson(text));

    // WHEN it is applied
    await wd.apply();

    // THEN the installer ISO is on the node's local storage
    const isos = (await apiGet(suite.sim, "/nodes/pve1/storage/local/content", { content: "iso" })) as Array<{ volid: string }>;
    expect(isos.map((v) => v.volid)).toEqual([`local:iso/${ISO}`]);
    // AND the two Windows VMs have consecutive ids and the Windows preset: OVMF with an EFI disk with
    // pre-enrolled keys, a TPM 2.0, q35, ostype win11, VirtIO SCSI and NIC (firewalled), the agent, the installer on ide2
    const guests = (await apiGet(suite.sim, "/cluster/resources", { type: "vm" })) as Array<{ vmid: number; name: string }>;
    const desks = guests
      .filter((g) => g.name.startsWith("winenv-desk-"))
      .sort((a, b) => a.vmid - b.vmid)
      .map((g) => g.vmid);
    expect(desks).toEqual([desks[0], desks[0] + 1]);
    for (const [i, id] of desks.entries()) {
      const conf = await apiGet(suite.sim, `/nodes/pve1/qemu/${id}/config`);
      expect(conf).toMatchObject({
        name: `winenv-desk-${i + 1}`,
        bios: "ovmf",
        machine: "q35",
        ostype: "win11",
        scsihw: "virtio-scsi-single",
        cores: 2,
        memory: "4096",
      });
      expect(conf.efidisk0).toMatch(/pre-enrolled-keys=1/);
      expect(conf.tpmstate0).toMatch(/version=v2\.0/);
      expect(conf.ide2).toContain(`local:iso/${ISO}`);
      expect(conf.net0).toMatch(/^virtio=.*firewall=1/);
      expect(conf.agent).toMatch(/enabled=1|^1/);
      expect(conf.tags).toContain("windows");
      expect(conf).not.toHaveProperty("ciuser");
      expect(conf).not.toHaveProperty("sshkeys");
      // AND its firewall admits RDP from the office range only
      expect(await apiGet(suite.sim, `/nodes/pve1/qemu/${id}/firewall/options`)).toMatchObject({ enable: 1, policy_in: "DROP" });
      expect((await apiGet(suite.sim, `/nodes/pve1/qemu/${id}/firewall/rules`)).map(ruleShape)).toEqual([
        { type: "in", action: "ACCEPT", source: "203.0.113.0/24", proto: "tcp", dport: "3389" },
      ]);
    }
    // AND the db VM admits postgres from the desktops' IP set, which lists their pool addresses
    const db = guests.find((g) => g.name === "winenv-db-1")!.vmid;
    expect((await apiGet(suite.sim, `/nodes/pve1/qemu/${db}/firewall/rules`)).map(ruleShape)).toEqual([
      { type: "in", action: "ACCEPT", source: expect.stringMatching(/^\+winenv-desk-[0-9a-f]{8}$/), proto: "tcp", dport: "5432" },
    ]);
    const sets = (await apiGet(suite.sim, "/cluster/firewall/ipset")) as Array<{ name: string }>;
    const deskSet = sets.find((s) => s.name.startsWith("winenv-desk-"))!.name;
    expect((await apiGet(suite.sim, `/cluster/firewall/ipset/${deskSet}`)).map((e: { cidr: string }) => e.cidr).sort()).toEqual(["10.50.0.33", "10.50.0.34"]);

    // WHEN it is planned again THEN nothing changes
    const again = await wd.plan();
    expect([again.exitCode, again.exitCode === 0 ? "" : again.output]).toEqual([0, ""]);

    // WHEN the environment is validated THEN the desktops are checked for RDP (3389), not SSH
    // (the simulator's 10.x addresses are never contacted: the port is "not checked")
    const vmsOutput = (await wd.cli.outputs()).vms.value as VmRow[];
    expect(vmsOutput.filter((v) => v.tier === "desk").map((v) => [v.name, v.ipv4])).toEqual([
      ["winenv-desk-1", "10.50.0.33"],
      ["winenv-desk-2", "10.50.0.34"],
    ]);
    const checks = await checkDeployedVms("", "winenv", { target: simulatorTarget(suite.sim), deployed: { env: resolve(text), vms: vmsOutput } });
    expect(checks.filter((c) => c.name.startsWith("winenv-desk-")).map((c) => [c.name, c.port.number, c.port.state])).toEqual([
      ["winenv-desk-1", 3389, "not checked"],
      ["winenv-desk-2", 3389, "not checked"],
    ]);

    // WHEN it is destroyed THEN nothing is left: no guest, volume, ISO, rule, IP set or pool
    await wd.destroy();
    expect(await leftovers(suite.sim)).toEqual(NOTHING_LEFT);
    expect(await wd.stateList()).toEqual([]);
  });
});
