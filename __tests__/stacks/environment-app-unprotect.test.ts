import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import { withFastSynth } from "../../stacks/fast-synth";

const ENVIRONMENTS = path.join(__dirname, "..", "..", "environments");

function synthProtection(unprotect: boolean): unknown[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "unprotect-"));
  try {
    withFastSynth(() => {
      const app = new App({ outdir });
      addEnvironmentStacks(app, { dir: ENVIRONMENTS, only: ["prod"], unprotect });
      app.synth();
    });
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    return Object.values(json.resource.proxmox_virtual_environment_vm)
      .filter((vm) => !vm.template)
      .map((vm) => vm.protection);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("environment app with unprotect (destroy --unprotect)", () => {
  it("synthesises prod with protection on every VM by default", () => {
    const protection = synthProtection(false);
    expect(protection.length).toBe(9);
    expect(new Set(protection)).toEqual(new Set([true]));
  });

  it("synthesises prod with protection off on every VM, the policy pack (PVE-OPS-001) not failing the synth", () => {
    const protection = synthProtection(true);
    expect(protection.length).toBe(9);
    expect(new Set(protection)).toEqual(new Set([false]));
  });
});
