/**
 * The main job end to end: `proxmox-cdk up dev` (what `npm start` runs) on a fresh project against
 * the embedded simulator, then drift, plan and destroy — each as its own CLI process, with the real
 * terraform and provider. The simulator keeps its state in the project between runs.
 */
import * as fs from "fs";
import * as path from "path";
import type { ProcessResult } from "./run-process";
import { pveCall } from "../harness/pve-client";
import { auditRecords, npmStartCliArgs, readSimState, REPO, runCli, tempProject, withSimulatorOn } from "./cli-project";

const project = tempProject(["dev"]);
/** Every CLI run of this file, for the no-secrets check. */
const runs: ProcessResult[] = [];
async function cli(...args: string[]): Promise<ProcessResult> {
  const r = await runCli(project, args);
  runs.push(r);
  return r;
}

/** VMs the simulator holds, by name (templates included). */
function simVms(): Record<string, { vmid: number; node: string; template: boolean; memory: string }> {
  const vms = readSimState(project.simStateFile).slices.qemu.vms as Record<string, { vmid: number; node: string; conf: Record<string, string> }>;
  return Object.fromEntries(
    Object.values(vms).map((v) => [v.conf.name, { vmid: v.vmid, node: v.node, template: v.conf.template === "1", memory: v.conf.memory }]),
  );
}

describe("proxmox-cdk on a fresh project with the embedded simulator", () => {
  it("runs the same command as npm start: up dev", () => {
    expect(npmStartCliArgs()).toEqual(["up", "dev"]);
  });

  it("deploys dev against the embedded simulator when PROXMOX_VE_ENDPOINT is unset", async () => {
    // GIVEN a fresh project with environments/dev.yaml and no target variables
    // WHEN running what npm start runs
    const r = await cli(...npmStartCliArgs());

    // THEN it says it uses the simulator, creates resources and lists the four VMs
    expect([r.exitCode, r.output]).toEqual([
      0,
      expect.stringContaining("PROXMOX_VE_ENDPOINT is not set: using the embedded PVE simulator at https://127.0.0.1:"),
    ]);
    expect(r.stdout).toMatch(/up dev: [1-9]\d* added, 0 changed, 0 destroyed \(embedded PVE simulator/);
    for (const name of ["dev-bastion-1", "dev-web-1", "dev-app-1", "dev-db-1"])
      expect(r.stdout).toMatch(new RegExp(`^${name}\\t\\d+\\tpve1\\t\\d+\\.\\d+\\.\\d+\\.\\d+\\t`, "m"));
    // AND the simulator's state is a file in the project, holding the template and the four VMs
    expect(fs.existsSync(project.simStateFile)).toBe(true);
    expect(path.relative(project.root, project.simStateFile)).toBe(path.join(".state", "sim", "state.json"));
    const vms = simVms();
    expect(Object.keys(vms).sort()).toEqual(["dev-app-1", "dev-bastion-1", "dev-db-1", "dev-debian12", "dev-web-1"]);
    expect(vms["dev-debian12"].template).toBe(true);
    // AND the Terraform state is the project's own
    expect(fs.existsSync(path.join(project.root, ".state", "dev", "terraform.tfstate"))).toBe(true);
  }, 240_000);

  it("reports no changes on a second up", async () => {
    const r = await cli("up", "dev");
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/up dev: no changes \(embedded PVE simulator/)]);
  }, 240_000);

  it("validates each deployed VM on its own line, sending no traffic to simulated guests outside loopback", async () => {
    const r = await cli("validate", "dev");
    const lines = r.stdout.split("\n").filter((l) => /^(PASS|FAIL) /.test(l));
    expect(lines.map((l) => l.split(/\s{2}/)[1]).sort()).toEqual(["dev-app-1", "dev-bastion-1", "dev-db-1", "dev-web-1"]);
    for (const l of lines) {
      expect(l).toMatch(/^PASS {2}dev-\w+-1 {2}(\d+\.\d+\.\d+\.\d+) {2}agent \1 {2}tcp\/22 not checked \(simulated guest address\)$/);
    }
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("4 of 4 VMs pass.")]);
  }, 240_000);

  it("reports no drift on an untouched deploy (exit 0)", async () => {
    const r = await cli("drift", "dev");
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("No drift.")]);
  }, 240_000);

  it("reports a memory change made through the PVE API as drift naming the attribute (exit 2)", async () => {
    // GIVEN dev-app-1's memory raised to 4096 MiB directly through the API, as root, while no CLI runs
    const before = simVms()["dev-app-1"];
    expect(before.memory).toBe("1024");
    await withSimulatorOn(project, async (sim) => {
      const put = await pveCall(sim, "PUT", `/nodes/${before.node}/qemu/${before.vmid}/config`, { token: sim.apiToken, args: { memory: 4096 } });
      expect(put.status).toBe(200);
    });

    // WHEN checking for drift
    const r = await cli("drift", "dev");

    // THEN it exits 2 with one readable line: the VM's address, the attribute, old → new
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain("Drift: 1 resource(s) changed outside Terraform.");
    expect(r.stdout).toMatch(/proxmox_virtual_environment_vm\.tier-app_dev-app-1_vm_\w+: memory\.0\.dedicated 1024 → 4096/);
  }, 240_000);

  it("plans the drifted VM back to the spec without changing anything (exit 2)", async () => {
    const r = await cli("plan", "dev");
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^\s+update proxmox_virtual_environment_vm\.tier-app_dev-app-1_vm_\w+$/m);
    expect(r.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(simVms()["dev-app-1"].memory).toBe("4096");
  }, 240_000);

  it("records a failed run too: plan of an environment without a spec exits 1", async () => {
    const r = await cli("plan", "nosuch");
    expect([r.exitCode, r.stderr]).toEqual([1, expect.stringContaining('No environment "nosuch"')]);
  }, 60_000);

  it("destroys every resource of dev with --yes and leaves the simulator empty", async () => {
    // WHEN destroying dev
    const r = await cli("destroy", "dev", "--yes");
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/destroy dev: 0 added, 0 changed, [1-9]\d* destroyed/)]);

    // THEN the saved state holds no VM, firewall object, pool, volume or cluster object any more
    const s = readSimState(project.simStateFile).slices;
    expect(s.qemu.vms).toEqual({});
    expect(s.firewall.cluster).toEqual(expect.objectContaining({ rules: [], aliases: {}, ipsets: {}, groups: {} }));
    expect(s.firewall.guests).toEqual({});
    expect(s.pools.pools).toEqual({});
    for (const [node, stores] of Object.entries(s.storage.volumes as Record<string, Record<string, object>>)) {
      for (const [store, volumes] of Object.entries(stores)) expect([node, store, volumes]).toEqual([node, store, {}]);
    }
    expect([s.sdn.zones, s.sdn.vnets, s.sdn.subnets]).toEqual([{}, {}, {}]);
    expect([s.ha?.resources ?? {}, s.backup?.jobs ?? {}]).toEqual([{}, {}]);
    // AND the API agrees: no guest in the cluster resources, no IP set, no pool
    await withSimulatorOn(project, async (sim) => {
      const get = async (p: string) => (await pveCall(sim, "GET", p, { token: sim.apiToken })).body.data;
      expect(await get("/cluster/resources?type=vm")).toEqual([]);
      expect(await get("/cluster/firewall/ipset")).toEqual([]);
      expect(await get("/cluster/firewall/rules")).toEqual([]);
      expect(await get("/pools")).toEqual([]);
    });
  }, 240_000);

  it("appends one audit line per run with time, user, env, action, result, counts and duration — and no secret", () => {
    // GIVEN the simulator's root token and password (kept in its state)
    const bootstrap = readSimState(project.simStateFile).slices.access.bootstrap as { rootToken: string; rootPassword: string };
    const tokenSecret = bootstrap.rootToken.split("=").pop() as string;

    // THEN the project's audit log has exactly the runs above, in order
    const records = auditRecords(project);
    expect(records.map((r) => [r.action, r.env, r.result])).toEqual([
      ["up", "dev", "ok"],
      ["up", "dev", "no-changes"],
      ["drift", "dev", "no-changes"],
      ["drift", "dev", "drift"],
      ["plan", "dev", "ok"],
      ["plan", "nosuch", "error"],
      ["destroy", "dev", "ok"],
    ]);
    for (const r of records) {
      expect(new Date(r.time as string).toISOString()).toBe(r.time);
      expect(typeof r.user).toBe("string");
      expect(r.user).not.toBe("");
      expect(r.durationMs).toEqual(expect.any(Number));
      if (r.result !== "error")
        expect(r.counts).toEqual({ add: expect.any(Number), change: expect.any(Number), destroy: expect.any(Number), replace: expect.any(Number) });
    }
    expect(records[0].counts).toEqual(expect.objectContaining({ add: expect.any(Number), change: 0, destroy: 0 }));
    expect((records[0].counts as Record<string, number>).add).toBeGreaterThan(0);
    expect(records[3].counts).toEqual(expect.objectContaining({ change: 1 }));
    expect(records[6].counts).toEqual(expect.objectContaining({ destroy: (records[0].counts as Record<string, number>).add }));

    // AND neither the log nor any CLI output carries the token, its secret or the root password
    const log = fs.readFileSync(project.auditLog, "utf8");
    const everything = [log, ...runs.map((r) => r.output)].join("\n");
    for (const secret of [bootstrap.rootToken, tokenSecret, bootstrap.rootPassword]) expect(everything).not.toContain(secret);

    // AND none of these lines went to the repository's own audit log
    const repoLog = path.join(REPO, ".state", "audit.log");
    const repoLines = fs.existsSync(repoLog) ? new Set(fs.readFileSync(repoLog, "utf8").split("\n")) : new Set<string>();
    expect(log.split("\n").filter((l) => l && repoLines.has(l))).toEqual([]);
  });
});
