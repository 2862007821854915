import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../sim/qemu/fixtures";
import { pveCall } from "../e2e/harness/pve-client";
import { TerraformWorkdir, terraformWorkdir } from "../e2e/harness/terraform-workdir";

/** The repository root (the package being published). */
export const root = path.resolve(__dirname, "..", "..");

/** Runs a command; a failure's error carries its output (tsc reports on stdout). */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

/**
 * Packs the package as npm would publish it (prepack builds dist/ with the bindings); returns the
 * tarball's path. One pack at a time: the cdktf and cdktn pack tests run in parallel jest workers,
 * and two prepacks writing dist/ at once could pack a half-written file.
 */
export function packPackage(destination: string): string {
  return exclusively(path.join(root, ".cache", "npm-pack.lock"), () => {
    const packed = run("npm", ["pack", "--pack-destination", destination, "--silent"], root).trim().split("\n").pop() as string;
    return path.join(destination, packed);
  });
}

/** Runs `work` holding a lock directory; waits at most 20 minutes, and takes over a lock older than that. */
function exclusively<T>(lock: string, work: () => T): T {
  const limitMs = 20 * 60_000;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 1000) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > limitMs) fs.rmSync(lock, { recursive: true, force: true });
      else if (waited > limitMs) throw new Error(`${lock} stayed held for 20 minutes; remove it if no npm pack runs`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

const GiB = 1024 ** 3;

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
const CDKTF_TSCONFIG = {
  compilerOptions: { strict: true, module: "commonjs", target: "ES2022", lib: ["ES2022"], esModuleInterop: true, resolveJsonModule: true, types: ["node"] },
};

/** A user's project with the packed proxmox-cdk installed, its stack, its simulator helper and the installers it downloads. */
export interface ConsumerProject {
  readonly dir: string;
  /** Compiles the project with the repository's TypeScript under `node`: node10 resolution, then Node's (the exports map). */
  typeCheck(): void;
  /** Runs the compiled app (main.js) with `node`; it synthesises into out/. */
  synth(): void;
  /** The synthesised stack's Terraform JSON. */
  stackJson(): string;
  /** Messages of the annotations in the synthesised manifest. */
  annotations(): string[];
  close(): Promise<void>;
}

export interface ConsumerOptions {
  /** The packed proxmox-cdk. */
  readonly tarball: string;
  /** The user's dependencies next to proxmox-cdk: the CDK library under the name `cdktf`, constructs. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** The Node.js binary that type-checks and runs the app. */
  readonly node: string;
}

/** Creates the user's project in `dir` and installs its dependencies (peers shared, not nested). */
export async function consumerProject(dir: string, options: ConsumerOptions): Promise<ConsumerProject> {
  fs.mkdirSync(dir, { recursive: true });
  const { devDependencies } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      dependencies: { "proxmox-cdk": `file:${options.tarball}`, ...options.dependencies },
      devDependencies: { "@types/node": devDependencies["@types/node"] },
    }),
  );
  // npm runs under the chosen Node too: its engine checks see the Node the project runs on
  const npmCli = path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
  const npm = fs.existsSync(npmCli) ? [options.node, npmCli] : ["npm"];
  run(npm[0], [...npm.slice(1), "install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], dir);
  const images: ImageServer = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB), "win11.iso": Buffer.alloc(64 * 1024, 0x55) });
  const inputs = {
    imageUrl: images.url("debian-13.qcow2"),
    imageSha256: images.sha256("debian-13.qcow2"),
    isoUrl: images.url("win11.iso"),
    isoSha256: images.sha256("win11.iso"),
    sshKey: sshPublicKey("consumer"),
  };
  fs.writeFileSync(path.join(dir, "inputs.json"), JSON.stringify(inputs));
  fs.writeFileSync(path.join(dir, "main.ts"), CONSUMER_STACK);
  fs.writeFileSync(path.join(dir, "sim.ts"), CONSUMER_SIM);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(CDKTF_TSCONFIG));
  const tsc = (project: string) => run(options.node, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], dir);
  return {
    dir,
    typeCheck() {
      tsc(".");
      fs.writeFileSync(
        path.join(dir, "tsconfig.node16.json"),
        JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { module: "node16", moduleResolution: "node16", noEmit: true } }),
      );
      tsc("tsconfig.node16.json");
    },
    synth() {
      run(options.node, ["main.js"], dir);
    },
    stackJson: () => fs.readFileSync(path.join(dir, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"),
    annotations() {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "out", "manifest.json"), "utf8"));
      return (manifest.stacks.consumer.annotations as { message: string }[]).map((a) => a.message);
    },
    close: () => images.close(),
  };
}

/** What the synthesised consumer stack must hold: the VMs, their firewalls and the ISO download. */
export function expectConsumerStack(json: string): void {
  const synth = JSON.parse(json);
  expect(Object.keys(synth.resource)).toEqual(
    expect.arrayContaining([
      "proxmox_virtual_environment_vm",
      "proxmox_download_file",
      "proxmox_virtual_environment_firewall_options",
      "proxmox_virtual_environment_firewall_rules",
    ]),
  );
  expect(Object.keys(synth.resource.proxmox_virtual_environment_vm)).toHaveLength(5); // template, 2 web, bastion, win
}

/** The suppressed finding the policy pack annotates when it ran through the user's CDK library. */
export const SUPPRESSED_FINDING = "PVE-FW-006 suppressed: bastion: SSH from anywhere, keys only";

/**
 * Applies the consumer's synthesised stack with the real terraform and provider to a simulator
 * started by the consumer's own helper through proxmox-cdk/sim, checks what the simulator holds and
 * that a second plan is empty; stops everything afterwards.
 */
export async function deployConsumerStack(project: ConsumerProject): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sim = await require(path.join(project.dir, "sim.js")).start();
  let wd: TerraformWorkdir | undefined;
  try {
    wd = await terraformWorkdir(project.stackJson(), { sim });
    await wd.apply();
    // the template, the clones and the Windows VM
    const vms = (await fetchJson(sim, "/cluster/resources", { type: "vm" })) as { vmid: number }[];
    expect(vms.map((v) => v.vmid).sort()).toEqual([201, 202, 301, 401, 9000]);
    // the ISO was downloaded into the ISO store
    const isos = (await fetchJson(sim, "/nodes/pve1/storage/local/content", { content: "iso" })) as { volid: string }[];
    expect(isos.map((i) => i.volid)).toContain("local:iso/win11.iso");
    // a second plan finds nothing to change
    expect((await wd.plan()).exitCode).toBe(0);
  } finally {
    wd?.cleanup();
    await sim.stop();
  }
}

/** GET on the simulator's API (path relative to /api2/json) with its root token, over verified TLS. */
async function fetchJson(sim: { endpoint: string; apiToken: string; caCertPath: string }, apiPath: string, args: Record<string, string>): Promise<unknown> {
  const answer = await pveCall(sim, "GET", apiPath, { token: sim.apiToken, args });
  if (answer.status !== 200) throw new Error(`GET ${apiPath}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}
