/**
 * No half-destroyed prod, end to end: prod deployed on a simulator (local state backend), then
 * `destroy prod --yes` stops before touching anything because PVE refuses to delete protected VMs;
 * the documented path `destroy prod --unprotect --yes` then removes everything.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { readSimState, runCli, targetVariables, tempProject } from "./cli-project";

const project = tempProject(["prod"]);
const stateFile = path.join(project.root, ".state", "prod", "terraform.tfstate");
let sim: RunningSimulator;
let env: Record<string, string>;
beforeAll(async () => {
  sim = await startSimulator({ stateFile: project.simStateFile });
  // The shipped prod defines its encrypted PBS backup target, whose password only the environment holds.
  env = { ...targetVariables(sim), PROXMOX_CDK_STATE_BACKEND: "local", TF_VAR_pbs_password: "pbs-secret-from-the-environment" };
});
afterAll(async () => {
  await sim?.stop();
});

const slices = (): Record<string, any> => readSimState(project.simStateFile).slices;
const PROD_VM_IDS = [3001, 3002, 3003, 3004, 3005, 3006, 3007, 3008, 3009];

describe("destroy prod", () => {
  it("deploys prod with --yes", async () => {
    const r = await runCli(project, ["up", "prod", "--yes"], env);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/up prod: [1-9]\d* added, 0 changed, 0 destroyed/)]);
  }, 300_000);

  it("refuses before touching anything, naming each protected VM and the fix", async () => {
    // GIVEN the deployed prod: its state, VMs, firewall, HA and backup job
    const stateBefore = fs.readFileSync(stateFile, "utf8");
    const before = slices();
    expect(Object.keys(before.ha.resources).length).toBe(PROD_VM_IDS.length);

    // WHEN destroying it with consent
    const r = await runCli(project, ["destroy", "prod", "--yes"], env);

    // THEN it exits 1 naming every protected VM with PVE's refusal and the unprotect path
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`destroy prod: Proxmox VE would refuse ${PROD_VM_IDS.length} deletion(s); nothing was changed:`);
    for (const id of PROD_VM_IDS)
      expect(r.stderr).toMatch(
        new RegExp(
          `proxmox_virtual_environment_vm\\.tier-\\w+_prod-\\w+-\\d_vm_\\w+: can't remove VM ${id} - protection mode enabled\\n {4}fix: lift protection first: proxmox-cdk destroy prod --unprotect`,
        ),
      );
    // AND nothing changed: state, VMs (still running), firewall, HA, backups
    expect(fs.readFileSync(stateFile, "utf8")).toBe(stateBefore);
    const after = slices();
    for (const k of ["qemu", "firewall", "ha", "backup", "pools"]) expect([k, after[k]]).toEqual([k, before[k]]);
    // AND a following plan shows no changes
    const plan = await runCli(project, ["plan", "prod"], env);
    expect([plan.exitCode, plan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }, 300_000);

  it("only plans with --dry-run, saying protection would be lifted first", async () => {
    const stateBefore = fs.readFileSync(stateFile, "utf8");
    const vmsBefore = slices().qemu.vms;
    const r = await runCli(project, ["destroy", "prod", "--unprotect", "--dry-run"], env);
    expect([r.exitCode, r.stdout]).toEqual([
      0,
      expect.stringContaining("--unprotect: protection of 9 VM(s) is lifted first, in an apply that changes nothing else."),
    ]);
    expect(r.stdout).toContain("Dry run: nothing destroyed.");
    expect(fs.readFileSync(stateFile, "utf8")).toBe(stateBefore);
    expect(slices().qemu.vms).toEqual(vmsBefore);
  }, 300_000);

  it("destroys everything with the documented path: destroy --unprotect", async () => {
    const r = await runCli(project, ["destroy", "prod", "--unprotect", "--yes"], env);
    expect(r.stdout).toContain("Lifting protection of 9 VM(s)…");
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/destroy prod: 0 added, 0 changed, [1-9]\d* destroyed/)]);
    const s = slices();
    expect(s.qemu.vms).toEqual({});
    expect(s.firewall.guests).toEqual({});
    expect([s.ha?.resources ?? {}, s.backup?.jobs ?? {}, s.pools.pools]).toEqual([{}, {}, {}]);
    expect((s.storage.defs as { type: string }[]).filter((d) => d.type === "pbs")).toEqual([]);
    const plan = await runCli(project, ["plan", "prod"], env);
    expect(plan.stdout).toMatch(/Plan: [1-9]\d* to add, 0 to change, 0 to destroy\./);
  }, 300_000);
});
