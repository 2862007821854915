import { firewallSlice } from "../../../sim/firewall/firewall-store";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";
import { TerraformWorkdir, terraformWorkdir } from "../harness/terraform-workdir";
import { ENV, environmentStack } from "./environment";
import { apiGet, leftovers, NOTHING_LEFT } from "./sim-api";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;

/** The fields of a rule that say what it lets through. */
function ruleShape(r: Record<string, unknown>): Record<string, unknown> {
  const keys = ["type", "action", "source", "dest", "proto", "dport", "macro", "enable"];
  return Object.fromEntries(keys.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
}

describe("an environment built from the constructs, applied with the real bpg/proxmox provider", () => {
  let sim: RunningSimulator;
  let images: ImageServer;
  let wd: TerraformWorkdir | undefined;

  beforeAll(async () => {
    sim = await startSimulator();
    images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB) });
  });
  afterAll(async () => {
    wd?.cleanup();
    await images?.close();
    await sim?.stop();
  });

  it("hardens every VM's firewall, opens postgres on db to the web group only, re-plans empty and destroys everything", async () => {
    // GIVEN a template, 2 web + 1 db hardened clones on an SDN vnet, a security group, a pool,
    // the cluster firewall, a backup job and HA for db
    const env = environmentStack({ image: { url: images.url("debian-13.qcow2"), sha256: images.sha256("debian-13.qcow2") }, sshKey: sshPublicKey("ops@e2e") });
    wd = await terraformWorkdir(env.stack, { sim });

    // WHEN it is applied
    await wd.apply();

    // THEN the cluster firewall is on, dropping inbound traffic
    expect(await apiGet(sim, "/cluster/firewall/options")).toMatchObject({ enable: 1, policy_in: "DROP" });
    // AND the security group holds exactly the SSH rule, and the web IP set exactly the web addresses
    expect((await apiGet(sim, `/cluster/firewall/groups/${ENV.securityGroup}`)).map(ruleShape)).toEqual([
      { type: "in", action: "ACCEPT", source: "10.0.0.0/8", proto: "tcp", dport: "22", enable: 1 },
    ]);
    expect((await apiGet(sim, `/cluster/firewall/ipset/${env.web.ipSet?.name}`)).map((e: { cidr: string }) => e.cidr).sort()).toEqual([
      "10.120.0.11",
      "10.120.0.12",
    ]);

    for (const vmid of env.vmIds) {
      const config = await apiGet(sim, `/nodes/pve1/qemu/${vmid}/config`);
      // AND every VM runs on the vnet with the firewall on its NIC, in the pool
      expect(config.net0).toMatch(new RegExp(`bridge=${ENV.vnet},firewall=1`));
      expect(Object.keys(config).filter((k) => /^net\d+$/.test(k))).toEqual(["net0"]);
      // AND its firewall is enabled with inbound DROP
      expect(await apiGet(sim, `/nodes/pve1/qemu/${vmid}/firewall/options`)).toMatchObject({ enable: 1, policy_in: "DROP", macfilter: 1 });
      // AND it has exactly the expected rules: the group, plus postgres from the web IP set on db
      const expected: Record<string, unknown>[] = [{ type: "group", action: ENV.securityGroup, enable: 1 }];
      if (vmid === ENV.dbId) expected.push({ type: "in", action: "ACCEPT", source: `+${env.web.ipSet?.name}`, proto: "tcp", dport: "5432", enable: 1 });
      expect((await apiGet(sim, `/nodes/pve1/qemu/${vmid}/firewall/rules`)).map(ruleShape)).toEqual(expected);
      expect(await apiGet(sim, `/nodes/pve1/qemu/${vmid}/status/current`)).toMatchObject({ status: "running" });
    }
    // AND the pool holds the three VMs, the backup job covers them and db is HA-managed
    const pool = await apiGet(sim, "/pools", { poolid: ENV.pool });
    expect(pool[0].members.map((m: { vmid: number }) => m.vmid).sort()).toEqual([...env.vmIds].sort());
    expect(await apiGet(sim, `/cluster/backup/${ENV.backupJob}`)).toMatchObject({ vmid: env.vmIds.join(","), storage: "local", enabled: 1 });
    expect((await apiGet(sim, "/cluster/ha/resources")).map((r: { sid: string }) => r.sid)).toEqual([`vm:${ENV.dbId}`]);
    // AND the SDN zone and vnet are applied (nothing pending)
    expect((await apiGet(sim, "/cluster/sdn/vnets")).map((v: { vnet: string; tag: number }) => [v.vnet, v.tag])).toEqual([[ENV.vnet, 120]]);
    expect((await apiGet(sim, "/cluster/sdn/zones", { pending: 1 })).map((z: { zone: string; state?: string }) => [z.zone, z.state])).toEqual([
      [ENV.zone, undefined],
    ]);

    // WHEN it is planned again THEN nothing changes
    const plan = await wd.plan();
    expect([plan.exitCode, plan.exitCode === 0 ? "" : plan.output]).toEqual([0, ""]);

    // (the leftovers check below sees every kind of object while the environment exists)
    const before = await leftovers(sim);
    expect(
      Object.entries(before)
        .filter(([, items]) => items.length === 0)
        .map(([kind]) => kind),
    ).toEqual(["clusterRules", "aliases"]);

    // WHEN it is destroyed
    await wd.destroy();

    // THEN nothing of it is left: no VM, volume, rule, group, IP set, pool, job, HA resource or SDN object
    expect(await leftovers(sim)).toEqual(NOTHING_LEFT);
    expect(firewallSlice(sim.state).guests).toEqual({});
    expect(await wd.stateList()).toEqual([]);
  });
});
