import { App } from "cdktf";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import { withToolchainEnv } from "../../toolchain/toolchain-env";
import { PROVIDER_VERSION } from "../../toolchain/paths";
import { deprecatedInConfig, providerSchema, ProviderSchema } from "./deprecations";

const STACKS = ["dev", "staging", "prod"];

function terraform(cwd: string, args: string[]): string {
  const env = withToolchainEnv();
  return execFileSync(env.TERRAFORM_BINARY_NAME ?? "terraform", args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
}

describe("no attribute bpg/proxmox deprecates", () => {
  let work: string;
  let schema: ProviderSchema;
  const configs: Record<string, Record<string, unknown>> = {};

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "deprecations-"));
    // The provider's schema, from a configuration that only requires the provider.
    fs.writeFileSync(
      path.join(work, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { proxmox: { source: "bpg/proxmox", version: PROVIDER_VERSION } } } }),
    );
    terraform(work, ["init", "-input=false", "-backend=false", "-no-color"]);
    schema = providerSchema(JSON.parse(terraform(work, ["providers", "schema", "-json"])));
    // The shipped environments, synthesised as `cdktf synth` does.
    const outdir = path.join(work, "synth");
    const app = new App({ outdir });
    addEnvironmentStacks(app, { only: STACKS });
    app.synth();
    for (const stack of STACKS) configs[stack] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  }, 240_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it.each(STACKS)("synthesises the %s environment without anything the provider schema marks deprecated", (stack) => {
    expect(deprecatedInConfig(configs[stack], schema)).toEqual([]);
  });

  it.each(STACKS)("validates the %s environment without a deprecation warning", (stack) => {
    // GIVEN the synthesised environment in the initialised directory (same provider, no backend)
    fs.writeFileSync(
      path.join(work, "main.tf.json"),
      JSON.stringify({ ...configs[stack], terraform: { required_providers: { proxmox: { source: "bpg/proxmox", version: PROVIDER_VERSION } } } }),
    );
    // WHEN terraform validates it — which also reports deprecations the schema JSON cannot carry,
    // such as fields of list-of-object attributes (network_device.enabled)
    const result = JSON.parse(terraform(work, ["validate", "-json", "-no-color"]));
    // THEN it is valid and nothing is deprecated
    const deprecations = (result.diagnostics as { summary: string; detail?: string }[])
      .filter((d) => /deprecat/i.test(`${d.summary} ${d.detail ?? ""}`))
      .map((d) => `${d.summary}: ${d.detail ?? ""}`);
    expect({ valid: result.valid, deprecations }).toEqual({ valid: true, deprecations: [] });
  });

  it("finds a deprecated nested attribute the schema marks, so the check above can fail", () => {
    // GIVEN a VM that sets cdrom.enabled, deprecated in 0.111.1's schema
    const config = { resource: { proxmox_virtual_environment_vm: { win: { node_name: "pve1", cdrom: { enabled: true, file_id: "none" } } } } };
    // WHEN checked / THEN the attribute is reported with its path
    expect(deprecatedInConfig(config, schema)).toEqual(["proxmox_virtual_environment_vm.win.cdrom.enabled"]);
  });
});
