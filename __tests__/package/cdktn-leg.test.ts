import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConsumerProject, consumerProject, deployConsumerStack, expectConsumerStack, packPackage, root, run, SUPPRESSED_FINDING } from "./consumer-project";
import { node22 } from "./node22";

/**
 * The cdktn leg: the packed proxmox-cdk in a user's project on CDK Terrain (cdktn 0.24, installed
 * under the name `cdktf` as README says) with the newest constructs 10 cdktn accepts, on Node 22;
 * then the library's unit tests for constructs, stacks, policy and the library adapter, run by jest
 * on Node 22 with `cdktf` and `constructs` resolved to that project's cdktn and constructs.
 */
const CDKTN = "0.24.0";
/** cdktn 0.24's peer range for constructs; npm installs the newest release inside it. */
const CONSTRUCTS_FOR_CDKTN = ">=10.6.0 <10.8.0";
/** The unit tests that exercise synthesis through the CDK library. */
const UNIT_TESTS = ["__tests__/cdk", "__tests__/constructs", "__tests__/stacks", "__tests__/policy"];

describe("proxmox-cdk on CDK Terrain (cdktn 0.24) and Node 22", () => {
  jest.setTimeout(1_800_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-cdktn-"));
  const app = path.join(work, "consumer");
  let node: string;
  let project: ConsumerProject;

  beforeAll(async () => {
    // GIVEN Node 22 (the `node` npm package where the machine has another Node)
    node = node22();
    // AND the tarball npm would publish, installed with cdktn under the name cdktf
    project = await consumerProject(app, { tarball: packPackage(work), dependencies: { cdktf: `npm:cdktn@${CDKTN}`, constructs: CONSTRUCTS_FOR_CDKTN }, node });
  });
  afterAll(async () => {
    await project?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("runs on Node 22 with cdktn as the only CDK library, shared with proxmox-cdk", () => {
    const pkg = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(app, "node_modules", name, "package.json"), "utf8")) as { name: string; version: string };
    expect(run(node, ["-v"], app).trim()).toMatch(/^v22\./);
    expect(pkg("cdktf")).toMatchObject({ name: "cdktn", version: CDKTN });
    expect(pkg("constructs").version).toMatch(/^10\.[67]\./);
    expect(fs.existsSync(path.join(app, "node_modules", "proxmox-cdk", "node_modules", "cdktf"))).toBe(false);
    expect(fs.existsSync(path.join(app, "node_modules", "proxmox-cdk", "node_modules", "constructs"))).toBe(false);
  });

  it("type-checks a stack with HardenedVm, VmGroup, WindowsVm, a downloaded ISO and the PolicyPack from the root against cdktn's types, then synthesises it on Node 22", () => {
    // WHEN the user's project is type-checked and its app runs, both on Node 22
    project.typeCheck();
    project.synth();
    // THEN the synthesised stack holds the VMs, their firewalls and the ISO download
    expectConsumerStack(project.stackJson());
    // AND the policy pack ran through cdktn: the suppressed finding is annotated
    expect(project.annotations()).toContain(SUPPRESSED_FINDING);
  });

  it("deploys the stack cdktn synthesised with the real terraform and provider to a simulator started from proxmox-cdk/sim", async () => {
    await deployConsumerStack(project);
  });

  it("passes the unit tests of the constructs, stacks, policy and library adapter under cdktn on Node 22", () => {
    // GIVEN jest on Node 22, resolving cdktf and constructs to the consumer's cdktn and constructs
    const modules = path.join(app, "node_modules");
    const config = {
      rootDir: root,
      roots: UNIT_TESTS.map((d) => `<rootDir>/${d}`),
      testEnvironment: "node",
      testMatch: ["**/*.test.ts"],
      transform: {
        "^.+\\.tsx?$": [
          "ts-jest",
          { diagnostics: false, tsconfig: { target: "ES2022", module: "commonjs", esModuleInterop: true, resolveJsonModule: true, isolatedModules: true } },
        ],
      },
      moduleNameMapper: {
        "^cdktf$": path.join(modules, "cdktf"),
        "^cdktf/(.*)$": path.join(modules, "cdktf", "$1"),
        "^constructs$": path.join(modules, "constructs"),
      },
      setupFiles: ["<rootDir>/__tests__/setup/toolchain-env.ts"],
      setupFilesAfterEnv: ["<rootDir>/__tests__/setup/cdktf-matchers.ts"],
      testTimeout: 120_000,
      maxWorkers: 2,
      reporters: ["default"],
    };
    const configFile = path.join(work, "jest.cdktn.config.json");
    fs.writeFileSync(configFile, JSON.stringify(config));
    // WHEN they run; THEN all pass (a failure throws with jest's report)
    const report = run(
      node,
      [path.join(root, "node_modules", "jest", "bin", "jest.js"), "--config", configFile, "--ci", "--json", "--outputFile", path.join(work, "jest-cdktn.json")],
      root,
    );
    const results = JSON.parse(fs.readFileSync(path.join(work, "jest-cdktn.json"), "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      success: boolean;
    };
    expect({ failed: results.numFailedTests, skipped: results.numPendingTests, success: results.success }).toEqual({ failed: 0, skipped: 0, success: true });
    expect(results.numPassedTests).toBeGreaterThan(100);
    // AND the adapter test ran against cdktn, not cdktf
    expect(report + JSON.stringify(results)).toContain("the CDK library adapter (cdktn)");
  });
});
