/**
 * `proxmox-cdk scan` end to end, as a user runs it: VMs created through the API of a running
 * simulator with insecure settings, a read-only (PVEAuditor) token, the CLI reading the cluster and
 * judging it with the policy pack. No terraform involved: scan only reads the API.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator } from "../../../sim";
import { officialValidator, sarifValidator } from "../../policy/sarif-validators";
import { runCli, targetVariables, tempProject, withSimulatorOn } from "../environments/cli-project";
import { api, auditorToken, CONTAINER, createInsecureGuests, INSECURE, settle } from "./insecure-cluster";

const project = tempProject({});
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIScanE2eKeyForTheCompliantVm ops@example";
const COMPLIANT = 210;
const PBS_PASSWORD = "pbs-password-never-in-a-report";

/**
 * Five VMs with insecure settings (tagged prod, so the prod safeguards apply): NIC without the
 * firewall flag, a cloud-init password and no key, no guest agent, no backup job. 201–203 have the
 * firewall off (with inbound ACCEPT); 204–205 have it on with inbound ACCEPT, and 205 also accepts
 * SSH from anywhere. One compliant prod VM next to them, in a backup job and under HA.
 */
async function createCluster(sim: RunningSimulator): Promise<string> {
  await createInsecureGuests(sim);
  await settle(
    sim,
    await api(sim, "POST", "/nodes/pve1/qemu", {
      vmid: COMPLIANT,
      name: "hardened",
      tags: "prod;proxmox-cdk",
      protection: 1,
      onboot: 1,
      agent: "enabled=1",
      cpu: "x86-64-v2-AES",
      scsi0: "local-lvm:4,discard=on",
      ide2: "local-lvm:cloudinit",
      net0: "virtio,bridge=vmbr0,firewall=1,tag=20",
      ciuser: "ops",
      sshkeys: encodeURIComponent(KEY),
    }),
  );
  await api(sim, "PUT", `/nodes/pve1/qemu/${COMPLIANT}/firewall/options`, { enable: 1, policy_in: "DROP" });
  // Two PBS storages: one with a key PVE generates (encrypted on the client), one without.
  const pbs = { type: "pbs", server: "pbs.example.invalid", datastore: "store1", username: "backup@pbs", password: PBS_PASSWORD };
  await api(sim, "POST", "/storage", { ...pbs, storage: "pbs", "encryption-key": "autogen" });
  await api(sim, "POST", "/storage", { ...pbs, storage: "pbs-plain" });
  await api(sim, "POST", "/cluster/backup", {
    id: "backup-hardened",
    vmid: String(COMPLIANT),
    schedule: "daily",
    storage: "pbs",
    "prune-backups": "keep-daily=7",
    enabled: 1,
  });
  // A second prod job (it selects the prod VM too) onto the storage without a key.
  await api(sim, "POST", "/cluster/backup", {
    id: "backup-legacy",
    vmid: String(COMPLIANT),
    schedule: "weekly",
    storage: "pbs-plain",
    "prune-backups": "keep-weekly=4",
    enabled: 1,
  });
  await api(sim, "POST", "/cluster/ha/resources", { sid: `vm:${COMPLIANT}`, state: "started" });
  return auditorToken(sim);
}

/** VM 201 is in the prod environment's Terraform state (only the shape scan reads). */
function writeState(): void {
  const dir = path.join(project.root, ".state", "prod");
  fs.mkdirSync(dir, { recursive: true });
  const state = {
    version: 4,
    resources: [{ mode: "managed", type: "proxmox_virtual_environment_vm", name: "legacy", instances: [{ attributes: { vm_id: 201, node_name: "pve1" } }] }],
  };
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state), { mode: 0o600 });
}

interface GuestRow {
  vmid: number;
  managed: boolean;
  managedBy?: { state?: string; tag?: string };
  ruleIds: string[];
}

describe("proxmox-cdk scan on a cluster built through the API", () => {
  let json: {
    summary: { errors: number };
    findings: { ruleId: string; path: string; message: string }[];
    scan: { guests: GuestRow[]; rulesNotApplied: { ruleId: string }[] };
  };
  let exitCode: number | null;
  let secret: string;

  beforeAll(async () => {
    writeState();
    await withSimulatorOn(project, async (sim) => {
      const token = await createCluster(sim);
      secret = token.split("=")[1];
      const out = path.join(project.root, "scan.json");
      const run = await runCli(project, ["scan", "--format", "json", "--out", out], { ...targetVariables(sim), PROXMOX_VE_API_TOKEN: token });
      exitCode = run.exitCode;
      if (!fs.existsSync(out)) throw new Error(`scan wrote no report: ${run.stderr}`);
      json = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(run.stderr).not.toContain(secret);
    });
  }, 180_000);

  const guest = (vmid: number): GuestRow => json.scan.guests.find((g) => g.vmid === vmid)!;

  it("exits 2: there are error-level findings", () => {
    expect(exitCode).toBe(2);
    expect(json.summary.errors).toBeGreaterThan(0);
  });

  it.each(INSECURE)("reports each insecure setting of VM %i with its rule id", (vmid) => {
    // GIVEN a prod VM with no NIC firewall flag, a cloud-init password and no key, no agent, no backup job
    // WHEN scanned THEN each setting is a finding of its rule on that VM
    const expected = [
      "PVE-FW-002",
      "PVE-CI-001",
      "PVE-CI-002",
      "PVE-AG-001",
      "PVE-OPS-002",
      "PVE-OPS-001",
      "PVE-OPS-004",
      "PVE-OPS-008",
      "PVE-NET-001",
      "PVE-HW-004",
    ];
    expected.push(vmid >= 204 ? "PVE-FW-003" : "PVE-FW-001");
    if (vmid === 205) expected.push("PVE-FW-006");
    expect(guest(vmid).ruleIds).toEqual(expect.arrayContaining(expected));
    const onVm = json.findings.filter((f) => f.path.startsWith(`pve/nodes/pve1/qemu/${vmid}/`));
    for (const id of expected) expect(onVm.map((f) => f.ruleId)).toContain(id);
  });

  it("maps the container and reports its inbound ACCEPT under its own path, unmanaged", () => {
    // GIVEN a container whose firewall lets every port in WHEN scanned THEN PVE-FW-003 names it
    expect(guest(CONTAINER)).toMatchObject({ managed: false, ruleIds: expect.arrayContaining(["PVE-FW-003"]) });
    expect(json.findings.some((f) => f.ruleId === "PVE-FW-003" && f.path === `pve/nodes/pve1/lxc/${CONTAINER}/firewall-options`)).toBe(true);
  });

  it("finds nothing on the compliant VM", () => {
    expect(guest(COMPLIANT).ruleIds).toEqual([]);
  });

  it("marks guests managed by state or by tag, and the others unmanaged", () => {
    expect(guest(201)).toMatchObject({ managed: true, managedBy: { state: "prod" } });
    expect(guest(COMPLIANT)).toMatchObject({ managed: true, managedBy: { tag: "proxmox-cdk" } });
    for (const vmid of [202, 203, 204, 205, CONTAINER]) expect(guest(vmid).managed).toBe(false);
  });

  it("judges prod backup jobs by their storage as GET /storage shows it: the keyless PBS target is a finding, the encrypted one is not", () => {
    // GIVEN prod jobs onto a PBS storage with a generated key and onto one without, read with the PVEAuditor token
    // WHEN scanned THEN PVE-OPS-009 reports exactly the job onto the storage without a key, decided
    const found = json.findings.filter((f) => f.ruleId === "PVE-OPS-009");
    expect(found).toEqual([
      expect.objectContaining({ path: "pve/cluster/backup-backup-legacy", message: expect.stringContaining('storage "pbs-plain" has no encryption key') }),
    ]);
    expect(found[0]).not.toHaveProperty("couldNotEvaluate");
  });

  it("never shows a password or token secret, and lists the rules it did not apply", () => {
    const text = JSON.stringify(json);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(PBS_PASSWORD);
    expect(text).not.toContain(secret);
    expect(json.scan.rulesNotApplied.map((r) => r.ruleId)).toContain("PVE-SEC-001");
  });

  it("with --sim, scans the embedded simulator's saved state and writes valid SARIF", async () => {
    // GIVEN the simulator stopped with its state on disk WHEN scan --sim writes SARIF
    const out = path.join(project.root, "scan.sarif");
    const run = await runCli(project, ["scan", "--sim", "--quiet", "--format", "sarif", "--out", out]);
    // THEN it exits 2, the log is valid SARIF 2.1.0 and carries the same guests
    expect(run.exitCode).toBe(2);
    const log = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(officialValidator(log)).toBe(true);
    expect(sarifValidator.safeParse(log).success).toBe(true);
    const guests = log.runs[0].properties.scan.guests as GuestRow[];
    expect(guests.map((g) => g.vmid)).toEqual([...INSECURE, CONTAINER, COMPLIANT]);
    expect(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === "PVE-FW-001")).toBe(true);
  }, 120_000);
});
