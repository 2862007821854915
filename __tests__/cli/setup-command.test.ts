import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROVIDER_VERSION } from "../../toolchain/paths";

const root = path.resolve(__dirname, "..", "..");

/** Runs `cmd` with only the variables a user's shell would have plus `extra` (none of the test shell's toolchain). */
function run(cmd: string, args: string[], cwd: string, extra: Record<string, string>): string {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GOPATH: process.env.GOPATH,
    GOCACHE: process.env.GOCACHE,
    GOMODCACHE: process.env.GOMODCACHE,
    GOPROXY: process.env.GOPROXY,
    GOFLAGS: process.env.GOFLAGS,
    ...extra,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

describe("proxmox-cdk setup in a user's project", () => {
  jest.setTimeout(900_000);
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-user-"));
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it("prepares the provider mirror and CLI config in that project and prints how to run cdktf deploy with them", () => {
    // GIVEN a user's cdktf project outside this repository, on a machine without registry access
    fs.writeFileSync(path.join(project, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts" }));

    // WHEN setup runs for it (the provider is built with Go into the project's filesystem mirror)
    const out = run(process.execPath, [path.join(root, "bin", "proxmox-cdk.js"), "setup", "--dir", project], project, {
      PROXMOX_CDK_PROVIDER_SOURCE: "mirror",
    });

    // THEN it names the project's CLI config and the cdktf command line for mirror mode
    const cliConfig = path.join(project, ".toolchain", "terraformrc");
    expect(out).toContain(`export TF_CLI_CONFIG_FILE=${cliConfig}`);
    expect(out).toContain("npx cdktf deploy --skip-provider-lock");
    // AND the CLI config points at a mirror inside the project, not at this repository's
    const rc = fs.readFileSync(cliConfig, "utf8");
    expect(rc).toContain(`path    = "${path.join(project, ".toolchain", "mirror")}"`);
    expect(rc).not.toContain(root);

    // AND terraform, given only that variable, installs the pinned provider from the mirror
    fs.writeFileSync(
      path.join(project, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { proxmox: { source: "bpg/proxmox", version: PROVIDER_VERSION } } } }),
    );
    const init = run("terraform", ["init", "-input=false", "-backend=false", "-no-color"], project, { TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1" });
    expect(init).toContain(`Installed bpg/proxmox v${PROVIDER_VERSION}`);
  });

  it("is cached on a second run and prints the same instructions", () => {
    // WHEN setup runs again for the prepared project
    const out = run(process.execPath, [path.join(root, "bin", "proxmox-cdk.js"), "setup", "--dir", project], project, {
      PROXMOX_CDK_PROVIDER_SOURCE: "mirror",
    });
    // THEN nothing is built again
    expect(out).toMatch(/^toolchain: cached in /m);
    expect(out).toContain("npx cdktf deploy --skip-provider-lock");
  });
});
