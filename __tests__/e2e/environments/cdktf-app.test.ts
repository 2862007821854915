/**
 * The CLI on a user's own cdktf app (issue #16): a scratch project outside the repository with a
 * cdktf.json and a main.ts that imports the library from the repository and composes a template, a
 * HardenedVm with a firewall rule and a second, empty stack. plan (--app), an apply of the stack's
 * synthesised directory with the product's terraform runner, drift (none, then a change made
 * through the PVE API), review, inventory and validate — each as its own CLI process, against the
 * embedded simulator (--sim), with the real terraform and provider.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { TerraformCli } from "../../../terraform/terraform-cli";
import { sshPublicKey } from "../../sim/qemu/fixtures";
import { pveCall } from "../harness/pve-client";
import { readSimState, REPO, runCli, targetVariables, TempProject, withSimulatorOn } from "./cli-project";
import type { ProcessResult } from "./run-process";

jest.setTimeout(300_000);

const DEV_TEMPLATE = /^templates:\n {2}debian12:\n {4}url: (\S+)\n {4}checksum: (\S+)\n {4}checksumAlgorithm: (\S+)$/m.exec(
  fs.readFileSync(path.join(REPO, "environments", "dev.yaml"), "utf8"),
);
if (!DEV_TEMPLATE) throw new Error("environments/dev.yaml has no debian12 template to copy");

/** The user's app: one stack with a template and a VM that lets SSH in from one network, one empty stack. */
const MAIN_TS = `
import { App, TerraformStack } from "cdktf";
import { HardenedVm, Peer, PolicyPack, Port, ProxmoxProvider, VmTemplate } from ${JSON.stringify(path.join(REPO, "index"))};

const app = new App();
const shop = new TerraformStack(app, "shop");
new ProxmoxProvider(shop, "proxmox", {});
const template = new VmTemplate(shop, "template", {
  node: "pve1",
  name: "debian-12",
  vmId: 9100,
  image: { url: ${JSON.stringify(DEV_TEMPLATE[1])}, checksum: ${JSON.stringify(DEV_TEMPLATE[2])}, checksumAlgorithm: ${JSON.stringify(
    DEV_TEMPLATE[3],
  )}, fileName: "debian-12.qcow2" },
});
const web = new HardenedVm(shop, "web", {
  template,
  node: "pve1",
  name: "shop-web-1",
  vmId: 310,
  cores: 1,
  memoryMiB: 1024,
  diskGiB: 10,
  agentTimeout: "1m",
  ipv4: { address: "10.130.0.11/24", gateway: "10.130.0.1" },
  user: { sshKeys: [${JSON.stringify(sshPublicKey("ops@shop"))}] },
});
web.connections.allowFrom(Peer.cidr("203.0.113.0/24"), Port.SSH, "ssh from the office");
new TerraformStack(app, "other");
PolicyPack.addTo(app);
app.synth();
`;

// `node --import tsx` resolves "tsx" from the working directory: the loader is named by file URL.
const APP_COMMAND = `${JSON.stringify(process.execPath)} --import ${pathToFileURL(require.resolve("tsx")).href} main.ts`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-app-"));
const project: TempProject = { root, simStateFile: path.join(root, ".state", "sim", "state.json"), auditLog: path.join(root, ".state", "audit.log") };
fs.mkdirSync(path.join(root, "tmp"));
fs.writeFileSync(path.join(root, "main.ts"), MAIN_TS);
// The app resolves "cdktf" as a user's project does, from its own node_modules.
fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
fs.writeFileSync(path.join(root, "cdktf.json"), JSON.stringify({ language: "typescript", app: APP_COMMAND }));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const runs: ProcessResult[] = [];
async function cli(...args: string[]): Promise<ProcessResult> {
  const r = await runCli(project, args);
  runs.push(r);
  return r;
}

const stackDir = path.join(root, "cdktf.out", "stacks", "shop");

describe("proxmox-cdk on a user's own cdktf app", () => {
  it("asks for --stack naming the app's stacks, and plans the chosen one from --app: the template, the VM and its firewall", async () => {
    // WHEN planning without choosing among the app's two stacks
    const ambiguous = await cli("plan", "--sim");
    // THEN it fails naming them
    expect([ambiguous.exitCode, ambiguous.stderr]).toEqual([1, expect.stringContaining('the app has 2 stacks ("other", "shop"): choose one with --stack.')]);

    // WHEN planning the shop stack, the app given with --app
    const r = await cli("plan", "--app", APP_COMMAND, "--stack", "shop", "--sim");
    // THEN it lists the creates (exit 2) and writes the synthesis where cdktf would
    expect(r.exitCode).toBe(2);
    for (const address of [
      /create proxmox_virtual_environment_vm\.web_vm_\w+/,
      /create proxmox_virtual_environment_firewall_rules\.web_firewall_rules_\w+/,
      /create proxmox_download_file\.template_image_\w+/,
    ]) {
      expect(r.stdout).toMatch(address);
    }
    expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(true);
  });

  it("renders the review of the planned creates: the VM table and the app's policy annotations", async () => {
    const out = path.join(root, "review.md");
    const r = await cli("review", "--stack", "shop", "--sim", "--out", out);
    expect(r.exitCode).toBe(0);
    const md = fs.readFileSync(out, "utf8");
    expect(md.split("\n").slice(0, 2)).toEqual(["<!-- proxmox-cdk-review:shop -->", "## proxmox-cdk plan review: `shop`"]);
    expect(md).toContain("| shop-web-1 | `shop/web/vm` | create | pve1 | 1 | 1024 MiB | 10 GiB |");
    expect(md).toContain("➕ in ACCEPT tcp/22 from 203.0.113.0/24");
    // The app's PolicyPack annotated its stack: the review shows that finding, not "no findings"
    expect(md).toContain('Policy: ⚠️ 0 error(s), 1 warning(s), 0 info(s) — see "Policy findings".');
    expect(md).toMatch(/^\| PVE-FW-005 \| warning \| `shop` \| /m);
  });

  it("reports no drift after the stack is applied, its state where cdktf's local backend keeps it", async () => {
    // GIVEN the synthesised stack applied by terraform on the simulator's state file
    await withSimulatorOn(project, async (sim) => {
      const tf = new TerraformCli({
        workdir: stackDir,
        env: { ...targetVariables(sim), TMPDIR: path.join(root, "tmp") },
        inheritEnv: (k) => !/^(PROXMOX_VE_|TF_LOG)/.test(k),
        timeoutMs: 240_000,
      });
      await tf.init();
      await tf.apply();
    });
    expect(fs.existsSync(path.join(root, "terraform.shop.tfstate"))).toBe(true);
    // WHEN checking for drift
    const r = await cli("drift", "--stack", "shop", "--sim");
    // THEN there is none, and the app's stack is not scanned for orphans (it has no pool)
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("No drift.")]);
    expect(r.stdout).toContain("Orphan check skipped: a cdktf app's stack has no environment pool");
  });

  it("lists the VM (not the template) in the inventory, read from the state", async () => {
    const r = await cli("inventory", "--stack", "shop", "--out", "-");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("# Generated by proxmox-cdk inventory --stack shop from the Terraform state");
    expect(r.stdout).toMatch(
      / {4}shop:\n {6}hosts:\n {8}shop-web-1:\n {10}ansible_host: 10\.130\.0\.11\n {10}proxmox_vmid: 310\n {10}proxmox_node: pve1\n {10}ansible_user: ops\n/,
    );
    expect(r.stdout).not.toContain("debian-12");
  });

  it("validates the VM without sending anything to its simulated address", async () => {
    const r = await cli("validate", "--stack", "shop", "--sim");
    expect([r.exitCode, r.stdout]).toEqual([
      0,
      expect.stringMatching(/^PASS {2}shop-web-1 {2}10\.130\.0\.11 {2}agent \S+ {2}tcp\/22 not checked \(simulated guest address\)$/m),
    ]);
  });

  it("reports a memory change made through the PVE API as drift (exit 2)", async () => {
    // GIVEN the VM's memory raised through the API while no CLI runs
    await withSimulatorOn(project, async (sim) => {
      const put = await pveCall(sim, "PUT", "/nodes/pve1/qemu/310/config", { token: sim.apiToken, args: { memory: 4096 } });
      expect(put.status).toBe(200);
    });
    const vms = readSimState(project.simStateFile).slices.qemu.vms as Record<string, { vmid: number; conf: Record<string, string> }>;
    expect(Object.values(vms).find((v) => v.vmid === 310)?.conf.memory).toBe("4096");
    // WHEN checking for drift THEN the attribute is named, old → new
    const r = await cli("drift", "--stack", "shop", "--sim");
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/proxmox_virtual_environment_vm\.web_vm_\w+: memory\.0\.dedicated 1024 → 4096/);
  });

  it("never prints the simulator's API token", () => {
    const token = JSON.parse(fs.readFileSync(project.simStateFile, "utf8")) as unknown;
    const secrets = JSON.stringify(token).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    for (const r of runs) for (const s of secrets) expect(r.output).not.toContain(s);
  });
});
