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
import { api, auditorToken, CONTAINER, createContainer, createInsecureGuests, INSECURE, settle } from "./insecure-cluster";

jest.setTimeout(900_000);

const PRIVILEGED = 207;
/** A VM whose firewall filters outbound traffic: adopting it would open that, so import leaves it out. */
const EGRESS = 208;
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
    await settle(
      sim,
      await api(sim, "POST", "/nodes/pve1/qemu", {
        vmid: EGRESS,
        name: "legacy-egress",
        tags: "prod",
        scsi0: "local-lvm:4",
        net0: "virtio,bridge=vmbr0,tag=20",
      }),
    );
    await api(sim, "PUT", `/nodes/pve1/qemu/${EGRESS}/firewall/options`, { enable: 1, policy_in: "DROP", policy_out: "DROP" });
    await api(sim, "POST", `/nodes/pve1/qemu/${EGRESS}/firewall/rules`, { type: "out", action: "ACCEPT", proto: "tcp", dport: "443", enable: 1 });
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

  it("import adopts the five VMs and the container, lists each live rule up removes, leaves the privileged container and the outbound-filtering VM out with the reason, and keeps the spec's comments", async () => {
    // WHEN importing by tag with the read-only token
    const run = await runCli(project, ["import", "brown", "--tag", "prod"], { ...targetVariables(sim), PROXMOX_VE_API_TOKEN: auditor });
    // THEN six guests are adopted, 207 is left out (exit 2) with why, and the spec holds them
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([2, expect.stringContaining("left out"), expect.any(String)]);
    for (const vmid of INSECURE) expect(run.stdout).toContain(`adopted legacy-${vmid} (VM ${vmid} on pve1)`);
    expect(run.stdout).toContain(`adopted legacy-ct (container ${CONTAINER} on pve1)`);
    expect(run.stdout).toMatch(new RegExp(`left out ${PRIVILEGED} \\(legacy-priv\\): it is a privileged container`));
    // AND the VM that filters outbound traffic is left out rather than opened
    expect(run.stdout).toContain(
      `left out ${EGRESS} (legacy-egress): its firewall has outbound policy DROP and 1 outbound or security-group rule(s) (#0 OUT ACCEPT -p tcp -dport 443): adopting would open its outbound traffic`,
    );
    // AND each live rule that up removes is listed under the guest
    expect(run.stdout).toMatch(/adopted legacy-205 [^\n]*\n( {2}note: [^\n]*\n)* {2}note: `up` removes its live firewall rule #0 IN ACCEPT -p tcp -dport 22;/);
    const text = fs.readFileSync(specFile, "utf8");
    expect(text).toContain("# proxmox-cdk import writes the adopted guests here.");
    expect(text).toContain("# Brownfield: the legacy guests");
    expect(text).toMatch(/legacy-201:\n\s+vmid: 201\n\s+node: pve1/);
    expect(text).not.toContain("legacy-priv");
    expect(text).not.toContain("legacy-egress");
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
    expect(ids).toEqual([...ADOPTED, PRIVILEGED, EGRESS].sort());
    // The VM left out for its outbound filtering still drops outbound traffic.
    expect(await api(sim, "GET", `/nodes/pve1/qemu/${EGRESS}/firewall/options`)).toMatchObject({ policy_out: "DROP" });
  });
});
