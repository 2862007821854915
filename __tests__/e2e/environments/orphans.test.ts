/**
 * Orphans end to end: a terraform apply of dev SIGKILLed while the simulator (clone latency 6 s)
 * is cloning leaves VMs in PVE that the state never recorded; `drift dev` names them (exit 2).
 */
import { spawn } from "child_process";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { toolchainEnv } from "../../../toolchain/toolchain-env";
import { pveCall } from "../harness/pve-client";
import { runCli, targetVariables, tempProject } from "./cli-project";

const project = tempProject(["dev"]);
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ stateFile: project.simStateFile, latency: { qmclone: 6000 } });
});
afterAll(async () => {
  await sim?.stop();
});

interface Guest {
  readonly vmid: number;
  readonly pool?: string;
  readonly lock?: string;
  readonly template?: number;
}
async function guests(): Promise<Guest[]> {
  return (await pveCall(sim, "GET", "/cluster/resources?type=vm", { token: sim.apiToken })).body.data as Guest[];
}

/** Polls `check` every 200 ms, at most `tries` times; resolves to its first truthy answer. */
async function poll<T>(check: () => Promise<T | undefined>, tries: number, what: string): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("an apply killed during a clone", () => {
  it("leaves orphan VMs that drift dev (exit 2) and up name with their id and the commands to adopt or remove them", async () => {
    // GIVEN dev synthesised and initialised against the simulator (plan exits 2: everything to add)
    const vars = targetVariables(sim);
    const planned = await runCli(project, ["plan", "dev"], vars);
    expect([planned.exitCode, planned.stderr]).toEqual([2, expect.any(String)]);

    // WHEN terraform apply runs and is SIGKILLed while a VM clone is under way
    const workdir = path.join(project.root, "cdktf.out", "stacks", "dev");
    const tool = toolchainEnv();
    const tf = spawn(tool.TERRAFORM_BINARY_NAME, ["apply", "-auto-approve", "-no-color", "-input=false"], {
      cwd: workdir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: path.join(project.root, "tmp"), ...tool, ...vars, TF_INPUT: "0" },
      stdio: "ignore",
    });
    const exited = new Promise<void>((resolve) => tf.once("exit", () => resolve()));
    try {
      await poll(async () => ((await guests()).some((x) => x.lock === "clone") ? true : undefined), 600, "a clone to start");
    } finally {
      tf.kill("SIGKILL");
      await exited;
    }
    // AND the clones still under way end inside PVE, in the environment's pool; the template is the only VM the state holds
    await poll(async () => ((await guests()).some((g) => g.lock) ? undefined : true), 600, "the clones to finish");
    const orphans = (await guests()).filter((g) => g.pool === "dev" && g.template !== 1);
    expect(orphans.length).toBeGreaterThan(0);

    // THEN drift dev exits 2 and names each orphan VM id, with the import and the removal command
    const r = await runCli(project, ["drift", "dev"], vars);
    expect(r.exitCode).toBe(2);
    for (const o of orphans) {
      expect(r.stdout).toMatch(new RegExp(`^  VM ${o.vmid} "dev-\\w+-1" on pve1 \\(pool dev\\)$`, "m"));
      expect(r.stdout).toMatch(new RegExp(`terraform import 'proxmox_virtual_environment_vm\\.tier-\\w+_dev-\\w+-1_vm_\\w+' pve1/${o.vmid}\\)`));
      expect(r.stdout).toContain(`pvesh delete /nodes/pve1/qemu/${o.vmid} --purge 1`);
    }
    expect(r.stdout).toContain(`Orphans: ${orphans.length} guest(s) of this environment that Terraform does not know`);

    // AND up lists them too before it would create their VMs again (a dry run: nothing applied)
    const up = await runCli(project, ["up", "dev", "--dry-run"], vars);
    expect([up.exitCode, up.stdout]).toEqual([
      0,
      expect.stringContaining(`Orphans: ${orphans.length} guest(s) of this environment that Terraform does not know`),
    ]);
    for (const o of orphans) expect(up.stdout).toMatch(new RegExp(`^  VM ${o.vmid} "dev-\\w+-1" on pve1 \\(pool dev\\)$`, "m"));
  }, 300_000);
});
