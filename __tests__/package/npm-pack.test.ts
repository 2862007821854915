import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConsumerProject, consumerProject, deployConsumerStack, expectConsumerStack, packPackage, run, SUPPRESSED_FINDING } from "./consumer-project";

/** A constructs 10 release newer than the one cdktf 0.21 was built with: two copies would clash. */
const NEWER_THAN = [10, 4, 2];

describe("published package in a user's cdktf project", () => {
  jest.setTimeout(900_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-pack-"));
  const app = path.join(work, "consumer");
  let project: ConsumerProject;
  /** Runs `node -e script` in the consumer project; resolves to its stdout. */
  const node = (script: string) => run(process.execPath, ["-e", script], app).trim();

  beforeAll(async () => {
    // GIVEN the tarball npm would publish, installed in a user's project with the NEWEST constructs 10 and cdktf 0.21, as peers
    project = await consumerProject(app, { tarball: packPackage(work), dependencies: { cdktf: "~0.21.0", constructs: "^10" }, node: process.execPath });
  });
  afterAll(async () => {
    await project?.close();
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
    // WHEN the user's project is type-checked and compiled (node10 resolution, as cdktf's template, then Node's own)
    project.typeCheck();
    // AND its app runs
    project.synth();
    // THEN the synthesised stack holds the VMs, their firewalls and the ISO download
    expectConsumerStack(project.stackJson());
    // AND the policy pack ran through the user's cdktf: the suppressed finding is annotated
    expect(project.annotations()).toContain(SUPPRESSED_FINDING);
  });

  it("exposes only its entry points: the root, ./sim and ./ai load without ollama; dist/ is closed", () => {
    // WHEN the entry points are required in the user's project (ollama not installed)
    const loaded = node(
      'const root = require("proxmox-cdk"); require("proxmox-cdk/sim"); require("proxmox-cdk/ai"); console.log(typeof root.PolicyPack, typeof root.loadEnvironment)',
    );
    // THEN they load
    expect(loaded).toBe("function function");
    // AND the AI helper names the missing optional peer when it needs it
    expect(() => node('require("proxmox-cdk/ai").ollamaChatModel()')).toThrow(/npm install ollama/);
    // AND deep imports are refused by the exports map
    expect(() => node('require("proxmox-cdk/dist/policy")')).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("deploys the synthesised stack with the real terraform and provider to a simulator started from proxmox-cdk/sim", async () => {
    // GIVEN the stack the user synthesised; WHEN it is applied to the user's simulator
    // THEN the simulator holds the template, the clones, the Windows VM and the ISO, and a re-plan is empty
    await deployConsumerStack(project);
  });
});
