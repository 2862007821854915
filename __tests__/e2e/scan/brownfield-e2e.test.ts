/**
 * The brownfield walkthrough end to end (docs/brownfield.md), as a user runs it against the
 * simulator with the real terraform and bpg/proxmox 0.111.1: five insecure VMs and a container made
 * through the API; `scan` reports each finding with its rule id; `import` adopts them (and leaves a
 * privileged container out, untouched); `plan` shows nothing destroyed or replaced and the review
 * lists the hardening as in-place updates; `up` applies it; a re-plan is empty; `scan` reports the
 * guests clean and managed.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { sshPublicKey } from "../../sim/qemu/fixtures";
import { runCli, targetVariables, tempProject } from "../environments/cli-project";
import { api, auditorToken, CONTAINER, createContainer, createInsecureGuests, INSECURE } from "./insecure-cluster";

jest.setTimeout(900_000);

const PRIVILEGED = 207;
const KEY = sshPublicKey("ops@brownfield");
const SPEC = `# Brownfield: the legacy guests, taken over with proxmox-cdk import.
name: brown
stage: prod
nodes: [pve1, pve2]
network: { bridge: { name: vmbr0, vlan: 20 } }
templates: {}
tiers: {}
backups:
  storage: pbs
  pbs: { server: pbs.example.invalid, datastore: prod, username: pve@pbs }
cloudInit: { user: ops, sshKeys: ["${KEY}"] }
# proxmox-cdk import writes the adopted guests here.
adopted: {}
`;
const project = tempProject({ "brown.yaml": SPEC });
const specFile = path.join(project.root, "environments", "brown.yaml");
const ADOPTED = [...INSECURE, CONTAINER];

interface ScanJson {
  findings: { ruleId: string; path: string }[];
  scan: { guests: { vmid: number; managed: boolean; managedBy?: { state?: string }; ruleIds: string[] }[] };
}

describe("brownfield: scan → import → review → up → scan clean", () => {
  let sim: RunningSimulator;
  let auditor: string;
  let privilegedBefore: unknown;

  const scan = async (name: string): Promise<{ exitCode: number | null; json: ScanJson }> => {
    const out = path.join(project.root, name);
    const run = await runCli(project, ["scan", "--quiet", "--format", "json", "--out", out], { ...targetVariables(sim), PROXMOX_VE_API_TOKEN: auditor });
    if (!fs.existsSync(out)) throw new Error(`scan wrote no report: ${run.stderr}`);
    return { exitCode: run.exitCode, json: JSON.parse(fs.readFileSync(out, "utf8")) as ScanJson };
  };
  const deployer = () => ({ ...targetVariables(sim), TF_VAR_pbs_password: "pbs-secret-from-the-environment" });

  beforeAll(async () => {
    sim = await startSimulator({ stateFile: project.simStateFile });
    await createInsecureGuests(sim, { vlan: 20, containerIp: "10.20.0.50/24", containerNicFirewall: true });
    await createContainer(sim, PRIVILEGED, "legacy-priv", { vlan: 20, containerIp: "10.20.0.51/24", privilegedContainer: true });
    privilegedBefore = await api(sim, "GET", `/nodes/pve1/lxc/${PRIVILEGED}/config`);
    auditor = await auditorToken(sim);
  }, 180_000);
  afterAll(async () => sim?.stop());

  it("scan reports each insecure setting with its rule id, on unmanaged guests", async () => {
    const { exitCode, json } = await scan("scan-before.json");
    expect(exitCode).toBe(2);
    for (const vmid of INSECURE) {
      const g = json.scan.guests.find((x) => x.vmid === vmid)!;
      expect(g.managed).toBe(false);
      expect(g.ruleIds).toEqual(expect.arrayContaining(["PVE-FW-002", "PVE-CI-001", "PVE-CI-002", "PVE-AG-001", "PVE-OPS-001", "PVE-OPS-002", "PVE-OPS-008"]));
      expect(g.ruleIds).toContain(vmid >= 204 ? "PVE-FW-003" : "PVE-FW-001");
    }
    expect(json.scan.guests.find((x) => x.vmid === 205)!.ruleIds).toContain("PVE-FW-006");
    expect(json.scan.guests.find((x) => x.vmid === CONTAINER)!.ruleIds).toContain("PVE-FW-003");
  });

  it("import adopts the five VMs and the container, leaves the privileged container out with the reason, and keeps the spec's comments", async () => {
    // WHEN importing by tag with the read-only token
    const run = await runCli(project, ["import", "brown", "--tag", "prod"], { ...targetVariables(sim), PROXMOX_VE_API_TOKEN: auditor });
    // THEN six guests are adopted, 207 is left out (exit 2) with why, and the spec holds them
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([2, expect.stringContaining("left out"), expect.any(String)]);
    for (const vmid of INSECURE) expect(run.stdout).toContain(`adopted legacy-${vmid} (VM ${vmid} on pve1)`);
    expect(run.stdout).toContain(`adopted legacy-ct (container ${CONTAINER} on pve1)`);
    expect(run.stdout).toMatch(new RegExp(`left out ${PRIVILEGED} \\(legacy-priv\\): it is a privileged container`));
    const text = fs.readFileSync(specFile, "utf8");
    expect(text).toContain("# proxmox-cdk import writes the adopted guests here.");
    expect(text).toContain("# Brownfield: the legacy guests");
    expect(text).toMatch(/legacy-201:\n\s+vmid: 201\n\s+node: pve1/);
    expect(text).not.toContain("legacy-priv");
  });

  it("refuses to adopt a guest twice and leaves the spec as it is", async () => {
    const before = fs.readFileSync(specFile, "utf8");
    const run = await runCli(project, ["import", "brown", "--vmid", "201"], { ...targetVariables(sim), PROXMOX_VE_API_TOKEN: auditor });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain("left out 201 (legacy-201): already adopted (environments/brown.yaml adopted.legacy-201)");
    expect(fs.readFileSync(specFile, "utf8")).toBe(before);
  });

  it("review shows 0 to destroy, 0 replaced, the guests imported and hardened by in-place updates", async () => {
    const out = path.join(project.root, "review.md");
    const run = await runCli(project, ["review", "brown", "--out", out], deployer());
    expect([run.exitCode, run.stderr.slice(-3000)]).toEqual([0, expect.any(String)]);
    const review = fs.readFileSync(out, "utf8");
    expect(review).toMatch(/destroy 0 · replace 0/);
    for (const vmid of INSECURE) expect(review).toMatch(new RegExp(`\\| legacy-${vmid} \\| \`brown/adopted-legacy-${vmid}/vm\` \\| update \\|`));
    expect(review).toMatch(/\| legacy-ct \| `brown\/adopted-legacy-ct\/container` \| update \|/);
    expect(review).toContain("`input_policy ACCEPT → DROP`");
    expect(review).toContain("`protection false → true`");
    // The live SSH rule of 205 goes: no intent allows it.
    expect(review).toMatch(/adopted-legacy-205\/firewall\/rules`\n\s+- ➖ in ACCEPT tcp\/22/);
    const plan = await runCli(project, ["plan", "brown"], deployer());
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toMatch(/Plan: \d+ to add, \d+ to change, 0 to destroy\./);
    expect(plan.stdout).not.toMatch(/replace|delete/);
    for (const name of ["legacy-201", "legacy-205", "legacy-ct"]) expect(plan.stdout).toMatch(new RegExp(`update [^\\n]*adopted-${name}`));
  });

  it("up applies the hardening in place, a re-plan is empty, and scan reports the adopted guests clean and managed", async () => {
    const up = await runCli(project, ["up", "brown"], deployer());
    expect([up.exitCode, up.stderr.slice(-3000), up.stdout.slice(-3000)]).toEqual([0, "", expect.any(String)]);
    expect(up.stdout).toMatch(/0 destroyed/);
    expect(up.stdout).not.toMatch(/replaced/);

    const replan = await runCli(project, ["plan", "brown"], deployer());
    expect([replan.exitCode, replan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);

    const { json } = await scan("scan-after.json");
    for (const vmid of ADOPTED) {
      const g = json.scan.guests.find((x) => x.vmid === vmid)!;
      expect([vmid, g.ruleIds, g.managed, g.managedBy]).toEqual([vmid, [], true, { state: "brown" }]);
    }
    // The guest left out is untouched and still unmanaged.
    expect(json.scan.guests.find((x) => x.vmid === PRIVILEGED)!.managed).toBe(false);
    expect(await api(sim, "GET", `/nodes/pve1/lxc/${PRIVILEGED}/config`)).toEqual(privilegedBefore);
    // Every guest still runs under its id: nothing was destroyed.
    const ids = ((await api(sim, "GET", "/cluster/resources", { type: "vm" })) as { vmid: number }[]).map((r) => r.vmid).sort();
    expect(ids).toEqual([...ADOPTED, PRIVILEGED].sort());
  });
});
