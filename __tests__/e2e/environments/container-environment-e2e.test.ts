import { Testing } from "cdktf";
import { checkDeployedVms } from "../../../deploy/check-vms";
import { computedOnlyAttributes } from "../../../deploy/workflow";
import { attributeChanges, formatAttributeChange } from "../../../terraform/attribute-changes";
import type { VmRow } from "../../../inventory/ansible-inventory";
import { readPlan } from "../../../terraform/terraform-plan";
import { simulatorTarget } from "../review/sim-project";
import { parseEnvironment, resolveDefaults } from "../../../envspec";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";
import { apiGet, leftovers, NOTHING_LEFT } from "../constructs/sim-api";
import { pveCall } from "../harness/pve-client";
import { simulatorSuite } from "../harness/simulator-suite";
import type { TerraformWorkdir } from "../harness/terraform-workdir";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;
const CT_TEMPLATE = "debian-12-standard_12.7-1_amd64.tar.zst";

/** A dev environment: a VM tier (db) and a tier of two containers (cache), postgres open from cache to db, redis from db to cache. */
function specText(images: ImageServer, key: string, cache: { memoryMiB: number; tags: string }): string {
  return `
name: ctenv
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0, subnet: 10.40.0.0/24, gateway: 10.40.0.1 } }
templates:
  debian:
    url: ${images.url("debian.qcow2")}
    checksum: ${images.sha256("debian.qcow2")}
    checksumAlgorithm: sha256
containerTemplates:
  debianct:
    url: ${images.url(CT_TEMPLATE)}
    checksum: ${images.sha256(CT_TEMPLATE)}
    checksumAlgorithm: sha256
tiers:
  db: { template: debian, memoryMiB: 1024, diskGiB: 8, ipv4: 10.40.0.16/28 }
  cache: { kind: container, count: 2, template: debianct, cores: 1, memoryMiB: ${cache.memoryMiB}, diskGiB: 4, ipv4: 10.40.0.32/28, tags: ${cache.tags} }
firewall:
  allow:
    - { from: cache, to: db, port: postgres }
    - { from: db, to: cache, port: tcp/6379 }
vmIdRange: { start: 1000, end: 1999 }
cloudInit: { user: ops, sshKeys: ["${key}"] }
`;
}

/** The synthesised Terraform JSON of the environment (policy pack on), state kept in the workdir. */
function environmentJson(text: string): Record<string, any> {
  const stack = new EnvironmentStack(Testing.app(), "ctenv", { env: resolve(text) });
  const json = JSON.parse(Testing.synth(stack));
  delete json.terraform.backend;
  return json;
}

const resolve = (text: string) => resolveDefaults(parseEnvironment(text, "environments/ctenv.yaml"));

/** The fields of a rule that say what it lets through. */
const ruleShape = (r: Record<string, unknown>) =>
  Object.fromEntries(["type", "action", "source", "proto", "dport"].filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));

describe("a container environment from the spec, applied with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite({ latency: { vzcreate: 100, vzstart: 50, vzshutdown: 50, vzdestroy: 50, download: 50 } });
  let images: ImageServer;
  let wd: TerraformWorkdir;
  const key = sshPublicKey("ops@ct-e2e");
  beforeAll(async () => {
    images = await serveImages({ "debian.qcow2": qcow2Image(2 * GiB), [CT_TEMPLATE]: Buffer.from("an LXC template archive with a checksum") });
  });
  afterAll(async () => images?.close());

  it("downloads the template, runs two hardened containers next to a VM with the intents between them, re-plans empty, updates in place and destroys to an empty simulator", async () => {
    // GIVEN the environment
    wd = await suite.workdir(environmentJson(specText(images, key, { memoryMiB: 512, tags: "[cache]" })));

    // WHEN it is applied
    await wd.apply();

    // THEN two containers with consecutive ids run unprivileged, without features, with their pool address, the firewall on at NIC level
    const guests = (await apiGet(suite.sim, "/cluster/resources", { type: "vm" })) as Array<{ vmid: number; type: string }>;
    const cts = guests
      .filter((g) => g.type === "lxc")
      .map((g) => g.vmid)
      .sort();
    expect(cts).toHaveLength(2);
    expect(cts[1]).toBe(cts[0] + 1);
    for (const [i, id] of cts.entries()) {
      const conf = await apiGet(suite.sim, `/nodes/pve1/lxc/${id}/config`);
      expect(conf).toMatchObject({ hostname: `ctenv-cache-${i + 1}`, unprivileged: 1, onboot: 1, memory: 512, ostype: "debian" });
      expect(conf.features ?? "").not.toMatch(/(nesting|keyctl|fuse)=1|mount=/);
      expect(conf.net0).toMatch(new RegExp(`firewall=1.*ip=10\\.40\\.0\\.${33 + i}/24`));
      expect(await apiGet(suite.sim, `/nodes/pve1/lxc/${id}/status/current`)).toMatchObject({ status: "running" });
      // AND its firewall is on with inbound DROP, admitting redis from the db tier's IP set only
      expect(await apiGet(suite.sim, `/nodes/pve1/lxc/${id}/firewall/options`)).toMatchObject({ enable: 1, policy_in: "DROP" });
      expect((await apiGet(suite.sim, `/nodes/pve1/lxc/${id}/firewall/rules`)).map(ruleShape)).toEqual([
        { type: "in", action: "ACCEPT", source: expect.stringMatching(/^\+ctenv-db-[0-9a-f]{8}$/), proto: "tcp", dport: "6379" },
      ]);
    }
    // AND the VM admits postgres from the containers' IP set, which lists their addresses
    const vmIds = guests
      .filter((g) => g.type === "qemu")
      .map((g) => g.vmid)
      .sort();
    // (the template, then db)
    expect(vmIds).toHaveLength(2);
    const db = vmIds[1];
    expect((await apiGet(suite.sim, `/nodes/pve1/qemu/${db}/firewall/rules`)).map(ruleShape)).toEqual([
      { type: "in", action: "ACCEPT", source: expect.stringMatching(/^\+ctenv-cache-[0-9a-f]{8}$/), proto: "tcp", dport: "5432" },
    ]);
    const sets = (await apiGet(suite.sim, "/cluster/firewall/ipset")) as Array<{ name: string }>;
    const cacheSet = sets.find((s) => s.name.startsWith("ctenv-cache-"))!.name;
    expect((await apiGet(suite.sim, `/cluster/firewall/ipset/${cacheSet}`)).map((e: { cidr: string }) => e.cidr).sort()).toEqual(["10.40.0.33", "10.40.0.34"]);

    // WHEN it is planned again THEN nothing changes
    const again = await wd.plan();
    expect([again.exitCode, again.exitCode === 0 ? "" : again.output]).toEqual([0, ""]);

    // WHEN the environment is validated THEN each container reports its pool address through PVE
    // (the simulator's 10.x addresses are never contacted: the port is "not checked")
    const text = specText(images, key, { memoryMiB: 512, tags: "[cache]" });
    const vmsOutput = (await wd.cli.outputs()).vms.value as VmRow[];
    const checks = await checkDeployedVms("", "ctenv", { target: simulatorTarget(suite.sim), deployed: { env: resolve(text), vms: vmsOutput } });
    expect(checks.filter((c) => c.name.startsWith("ctenv-cache-")).map((c) => [c.name, c.agentIps, c.port.state, c.ok])).toEqual([
      ["ctenv-cache-1", ["10.40.0.33"], "not checked", true],
      ["ctenv-cache-2", ["10.40.0.34"], "not checked", true],
    ]);

    // WHEN a container's memory is changed outside Terraform THEN a refresh-only plan reports that container as drifted
    expect((await pveCall(suite.sim, "PUT", `/nodes/pve1/lxc/${cts[0]}/config`, { token: suite.sim.apiToken, args: { memory: 768 } })).status).toBe(200);
    await wd.cli.plan(["-out", "drift.plan", "-refresh-only"]);
    const drifted = readPlan(await wd.cli.showJson("drift.plan")).drift;
    // (as \`proxmox-cdk drift\` reports it: attributes only the provider computes are left out)
    const computedOnly = computedOnlyAttributes(await wd.cli.showJsonOf(["providers", "schema", "-json"]));
    const without = (v: unknown, keys?: Set<string>) => Object.fromEntries(Object.entries(v ?? {}).filter(([k]) => !keys?.has(k)));
    const reported = drifted.flatMap((d) =>
      attributeChanges(without(d.before, computedOnly.get(d.type)), without(d.after, computedOnly.get(d.type)), d).map(
        (a) => `${d.type}: ${formatAttributeChange(a)}`,
      ),
    );
    expect(reported).toEqual(["proxmox_virtual_environment_container: memory.0.dedicated 512 → 768"]);

    // WHEN the container tier's memory and tags change
    wd.write(environmentJson(specText(images, key, { memoryMiB: 1024, tags: "[cache, redis]" })));
    const update = await wd.plan();
    // THEN the plan updates the two containers in place
    expect(update.output).toMatch(/0 to add, 2 to change, 0 to destroy/);
    await wd.apply();
    for (const id of cts) {
      const conf = await apiGet(suite.sim, `/nodes/pve1/lxc/${id}/config`);
      expect(conf).toMatchObject({ memory: 1024, tags: expect.stringContaining("redis") });
      expect(await apiGet(suite.sim, `/nodes/pve1/lxc/${id}/status/current`)).toMatchObject({ status: "running" });
    }
    const settled = await wd.plan();
    expect([settled.exitCode, settled.exitCode === 0 ? "" : settled.output]).toEqual([0, ""]);

    // WHEN it is destroyed THEN nothing is left: no guest, volume, rule, IP set or pool
    await wd.destroy();
    expect(await leftovers(suite.sim)).toEqual(NOTHING_LEFT);
    expect(await wd.stateList()).toEqual([]);
  });
});
