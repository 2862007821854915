import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../sim/qemu/fixtures";
import { pveCall } from "../e2e/harness/pve-client";
import { TerraformWorkdir, terraformWorkdir } from "../e2e/harness/terraform-workdir";

const root = path.resolve(__dirname, "..", "..");
/** Runs a command; a failure's error carries its output (tsc reports on stdout). */
const run = (cmd: string, args: string[], cwd: string): string => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
};
const tsc = (project: string, cwd: string) => run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], cwd);
/** Runs `node -e script` in the consumer project; resolves to its stdout. */
const node = (script: string, cwd: string) => run(process.execPath, ["-e", script], cwd).trim();

const GiB = 1024 ** 3;
/** A constructs 10 release newer than the one cdktf 0.21 was built with: two copies would clash. */
const NEWER_THAN = [10, 4, 2];

/** The stack a user writes, everything imported from the package root. Inputs come from inputs.json. */
const CONSUMER_STACK = `
import { App, dependable, TerraformStack } from "cdktf";
import { DownloadFile, HardenedVm, PolicyPack, Port, ProxmoxProvider, suppress, VmGroup, VmTemplate, WindowsVm, withFastSynth } from "proxmox-cdk";
import inputs from "./inputs.json";

const app = new App({ outdir: "out" });
const stack = new TerraformStack(app, "consumer");
new ProxmoxProvider(stack, "pve", {});
const template = new VmTemplate(stack, "tpl", {
  node: "pve1",
  name: "debian-13",
  vmId: 9000,
  image: { url: inputs.imageUrl, checksum: inputs.imageSha256, checksumAlgorithm: "sha256", fileName: "debian-13.qcow2" },
});
const small = { template, cores: 1, memoryMiB: 1024, diskGiB: 10, user: { sshKeys: [inputs.sshKey] } };
const web = new VmGroup(stack, "web", { ...small, count: 2, namePrefix: "web", nodes: ["pve1"], firstVmId: 201 });
const bastion = new HardenedVm(stack, "bastion", { ...small, node: "pve1", name: "bastion", vmId: 301 });
bastion.connections.allowFromAnyIpv4(Port.SSH);
suppress(bastion, "PVE-FW-006", { reason: "bastion: SSH from anywhere, keys only" });
web.connections.allowFrom(bastion, Port.SSH);
const installer = new DownloadFile(stack, "win11-iso", {
  nodeName: "pve1",
  datastoreId: "local",
  contentType: "iso",
  url: inputs.isoUrl,
  fileName: "win11.iso",
  checksum: inputs.isoSha256,
  checksumAlgorithm: "sha256",
});
const win = new WindowsVm(stack, "win", { node: "pve1", name: "win-1", vmId: 401, installerIsoFileId: "local:iso/win11.iso", cores: 2, memoryMiB: 4096, diskGiB: 64 });
win.resource.dependsOn = [dependable(installer)];
PolicyPack.addTo(stack, { stage: "dev" });
withFastSynth(() => app.synth());
`;

/** A test helper of the user's own: the simulator from the package's \`sim\` entry point. */
const CONSUMER_SIM = `
import { RunningSimulator, startSimulator } from "proxmox-cdk/sim";

export function start(): Promise<RunningSimulator> {
  return startSimulator({ nodes: ["pve1"] });
}
`;

/**
 * Compiler options of a \`cdktf init --template=typescript\` project (node10 resolution, node types),
 * without skipLibCheck, so the package's own declarations are checked against the user's peers.
 */
const CDKTF_TSCONFIG = { compilerOptions: { strict: true, module: "commonjs", target: "ES2022", lib: ["ES2022"], esModuleInterop: true, resolveJsonModule: true, types: ["node"] } };

describe("published package in a user's cdktf project", () => {
  jest.setTimeout(900_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-pack-"));
  const app = path.join(work, "consumer");
  let images: ImageServer;
  let sshKey: string;

  beforeAll(async () => {
    // GIVEN the tarball npm would publish (prepack builds dist/ with the bindings)
    const packed = run("npm", ["pack", "--pack-destination", work, "--silent"], root).trim().split("\n").pop() as string;
    const tarball = path.join(work, packed);
    // AND a user's project that installs it with the NEWEST constructs 10 and cdktf 0.21, as peers
    fs.mkdirSync(app);
    const { devDependencies } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    fs.writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies: { "proxmox-cdk": `file:${tarball}`, cdktf: "~0.21.0", constructs: "^10" }, devDependencies: { "@types/node": devDependencies["@types/node"] } }),
    );
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
    // AND the installers it downloads, served on loopback
    images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB), "win11.iso": Buffer.alloc(64 * 1024, 0x55) });
    sshKey = sshPublicKey("consumer");
    const inputs = {
      imageUrl: images.url("debian-13.qcow2"),
      imageSha256: images.sha256("debian-13.qcow2"),
      isoUrl: images.url("win11.iso"),
      isoSha256: images.sha256("win11.iso"),
      sshKey,
    };
    fs.writeFileSync(path.join(app, "inputs.json"), JSON.stringify(inputs));
    fs.writeFileSync(path.join(app, "main.ts"), CONSUMER_STACK);
    fs.writeFileSync(path.join(app, "sim.ts"), CONSUMER_SIM);
    fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(CDKTF_TSCONFIG));
  });
  afterAll(async () => {
    await images?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("shares the user's newest constructs 10 and cdktf instead of bringing its own copies", () => {
    // WHEN the consumer's dependency tree is read
    const constructs = JSON.parse(fs.readFileSync(path.join(app, "node_modules", "constructs", "package.json"), "utf8")).version as string;
    // THEN the user's constructs is newer than the one cdktf 0.21 ships with (the case that broke)
    const [major, minor, patch] = constructs.split(".").map(Number);
    expect(major).toBe(10);
    expect(minor * 1000 + patch).toBeGreaterThan(NEWER_THAN[1] * 1000 + NEWER_THAN[2]);
    // AND proxmox-cdk resolves the same single copies of constructs and cdktf (peers, not nested)
    expect(fs.existsSync(path.join(app, "node_modules", "proxmox-cdk", "node_modules", "constructs"))).toBe(false);
    expect(fs.existsSync(path.join(app, "node_modules", "proxmox-cdk", "node_modules", "cdktf"))).toBe(false);
    // AND ollama, an optional peer, is not installed
    expect(fs.existsSync(path.join(app, "node_modules", "ollama"))).toBe(false);
  });

  it("type-checks a stack with HardenedVm, VmGroup, WindowsVm, a downloaded ISO and the PolicyPack from the root, then synthesises it", () => {
    // WHEN the user's project is type-checked and compiled (node10 resolution, as cdktf's template)
    tsc(".", app);
    // AND type-checked again with Node's own resolution (the exports map)
    fs.writeFileSync(
      path.join(app, "tsconfig.node16.json"),
      JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { module: "node16", moduleResolution: "node16", noEmit: true } }),
    );
    tsc("tsconfig.node16.json", app);
    // AND its app runs
    run(process.execPath, ["main.js"], app);

    // THEN the synthesised stack holds the VMs, their firewalls and the ISO download
    const synth = JSON.parse(fs.readFileSync(path.join(app, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"));
    expect(Object.keys(synth.resource)).toEqual(
      expect.arrayContaining([
        "proxmox_virtual_environment_vm",
        "proxmox_download_file",
        "proxmox_virtual_environment_firewall_options",
        "proxmox_virtual_environment_firewall_rules",
      ]),
    );
    expect(Object.keys(synth.resource.proxmox_virtual_environment_vm)).toHaveLength(5); // template, 2 web, bastion, win
    // AND the policy pack ran through the user's cdktf: the suppressed finding is annotated
    const manifest = JSON.parse(fs.readFileSync(path.join(app, "out", "manifest.json"), "utf8"));
    const annotations = (manifest.stacks.consumer.annotations as { message: string }[]).map((a) => a.message);
    expect(annotations).toContain("PVE-FW-006 suppressed: bastion: SSH from anywhere, keys only");
  });

  it("exposes only its entry points: the root, ./sim and ./ai load without ollama; dist/ is closed", () => {
    // WHEN the entry points are required in the user's project (ollama not installed)
    const loaded = node('const root = require("proxmox-cdk"); require("proxmox-cdk/sim"); require("proxmox-cdk/ai"); console.log(typeof root.PolicyPack, typeof root.loadEnvironment)', app);
    // THEN they load
    expect(loaded).toBe("function function");
    // AND the AI helper names the missing optional peer when it needs it
    expect(() => node('require("proxmox-cdk/ai").ollamaChatModel()', app)).toThrow(/npm install ollama/);
    // AND deep imports are refused by the exports map
    expect(() => node('require("proxmox-cdk/dist/policy")', app)).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  describe("deploy", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let sim: any;
    let wd: TerraformWorkdir | undefined;
    afterAll(async () => {
      wd?.cleanup();
      await sim?.stop();
    });

    it("deploys the synthesised stack with the real terraform and provider to a simulator started from proxmox-cdk/sim", async () => {
      // GIVEN the simulator, started by the user's own helper through proxmox-cdk/sim
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sim = await require(path.join(app, "sim.js")).start();
      // WHEN the stack the user synthesised is applied
      const json = fs.readFileSync(path.join(app, "out", "stacks", "consumer", "cdk.tf.json"), "utf8");
      wd = await terraformWorkdir(json, { sim });
      await wd.apply();
      // THEN the simulator holds the template, the clones and the Windows VM, running where they should
      const vms = (await fetchJson(sim, "/cluster/resources", { type: "vm" })) as { vmid: number; template?: number; status: string }[];
      expect(vms.map((v) => v.vmid).sort()).toEqual([201, 202, 301, 401, 9000]);
      // AND the ISO was downloaded into the ISO store
      const isos = (await fetchJson(sim, "/nodes/pve1/storage/local/content", { content: "iso" })) as { volid: string }[];
      expect(isos.map((i) => i.volid)).toContain("local:iso/win11.iso");
      // AND a second plan finds nothing to change
      expect((await wd.plan()).exitCode).toBe(0);
    });
  });
});

/** GET on the simulator's API (path relative to /api2/json) with its root token, over verified TLS. */
async function fetchJson(sim: { endpoint: string; apiToken: string; caCertPath: string }, apiPath: string, args: Record<string, string>): Promise<unknown> {
  const answer = await pveCall(sim, "GET", apiPath, { token: sim.apiToken, args });
  if (answer.status !== 200) throw new Error(`GET ${apiPath}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}
