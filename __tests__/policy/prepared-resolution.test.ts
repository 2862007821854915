import { App, Aspects, IAspect, TerraformResource, TerraformStack, Testing } from "cdktf";
import { IConstruct } from "constructs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { VirtualEnvironmentFirewallOptions } from "../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { checkPolicy } from "../../policy/check-policy";
import { PolicyPack } from "../../policy/pack";
import { prepareStackForPolicy } from "../../policy/policy-resource";
import { ProxmoxProvider } from "../../.gen/providers/proxmox/provider";
import { hardenedVm } from "./policy-fixtures";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import { EnvironmentStack } from "../../stacks/environment-stack";

const envDir = path.resolve(__dirname, "..", "..", "environments");

function environment(name: string): { app: App; stack: EnvironmentStack } {
  const app = new App({ outdir: Testing.app().outdir });
  const [stack] = addEnvironmentStacks(app, { dir: envDir, only: [name] });
  return { app, stack };
}

/** How many times each resource was rendered for resolution during `work`. */
function renderCounts(work: () => void): Map<TerraformResource, number> {
  const counts = new Map<TerraformResource, number>();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called as original.call(this) on each resource
  const original = TerraformResource.prototype.toTerraform;
  const spy = jest.spyOn(TerraformResource.prototype, "toTerraform").mockImplementation(function (this: TerraformResource) {
    counts.set(this, (counts.get(this) ?? 0) + 1);
    return original.call(this);
  });
  try {
    work();
  } finally {
    spy.mockRestore();
  }
  return counts;
}

function packOf(stack: EnvironmentStack): PolicyPack {
  return Aspects.of(stack).all.find((a): a is PolicyPack => a instanceof PolicyPack) as PolicyPack;
}

/** Switches the firewall of every VM in the stack off after preparation, as a careless aspect could. */
class FirewallOff implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    for (const c of node.node.findAll()) if (c instanceof VirtualEnvironmentFirewallOptions) c.enabled = false;
  }
}

/** A user's stack that prepares for the policy as EnvironmentStack does. */
class PreparedStack extends TerraformStack {
  prepareStack(): void {
    prepareStackForPolicy(this);
  }
}

describe("the policy pack on an EnvironmentStack", () => {
  it("reads the configurations the stack's preparation resolved: each resource is resolved twice per synth, not three times", () => {
    const { app, stack } = environment("prod");
    const counts = renderCounts(() => app.synth());
    expect(counts.size).toBeGreaterThan(20);
    expect(new Set(counts.values())).toEqual(new Set([2]));
    expect(packOf(stack).lastResult?.findings).toEqual(checkPolicy(environment("prod").stack, { stage: "prod", nodeCount: 3 }));
  });

  it("finds from the prepared configurations exactly what a fresh resolution finds", () => {
    // GIVEN prod with its database tier exposed to the internet (error-level findings)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prepared-insecure-"));
    const insecure = fs
      .readFileSync(path.join(envDir, "prod.yaml"), "utf8")
      .replace(/expose:\n/, "expose:\n    - { tier: db, port: postgres, from: 0.0.0.0/0 }\n");
    fs.writeFileSync(path.join(dir, "prod.yaml"), insecure);
    const build = () => {
      const app = new App({ outdir: Testing.app().outdir });
      const [stack] = addEnvironmentStacks(app, { dir, only: ["prod"] });
      return { app, stack };
    };
    // WHEN it is synthesised (the pack reads the prepared configurations, then synth fails)
    const { app, stack } = build();
    const counts = renderCounts(() => expect(() => app.synth()).toThrow(/PVE-FW-008/));
    expect(new Set(counts.values())).toEqual(new Set([1]));
    // THEN the pack found what checkPolicy finds on a fresh copy, and that is not nothing
    const fresh = checkPolicy(build().stack, { stage: "prod", nodeCount: 3 });
    expect(fresh.map((f) => f.ruleId)).toContain("PVE-FW-008");
    expect(packOf(stack).lastResult?.findings).toEqual(fresh);
  });

  it("resolves afresh when another aspect could have changed resources after preparation, and sees the change", () => {
    // A stack that prepares for the policy, with an aspect that changes resources and runs first.
    const synth = (careless: boolean) => {
      const app = new App({ outdir: Testing.app().outdir });
      const stack = new PreparedStack(app, "user");
      new ProxmoxProvider(stack, "proxmox", {});
      hardenedVm(stack, "web");
      if (careless) Aspects.of(stack).add(new FirewallOff());
      PolicyPack.addTo(stack);
      app.synth();
    };
    expect(() => synth(false)).not.toThrow();
    // The prepared configuration still says enabled = true; the pack must judge what will be written.
    expect(() => synth(true)).toThrow(/PVE-FW-001: .*firewall_options .* has enabled = false/);
  });

  it("never lets a kept configuration outlive the synth that prepared it", () => {
    // GIVEN an environment synthesised twice (the second time the pack has already evaluated)
    const { app, stack } = environment("dev");
    app.synth();
    app.synth();
    // WHEN a VM's firewall is switched off afterwards
    const options = stack.node.findAll().find((c): c is VirtualEnvironmentFirewallOptions => c instanceof VirtualEnvironmentFirewallOptions);
    (options as VirtualEnvironmentFirewallOptions).enabled = false;
    // THEN the policy judges the configuration as it is now
    expect(
      checkPolicy(stack)
        .filter((f) => f.ruleId === "PVE-FW-001")
        .map((f) => f.path),
    ).toEqual([(options as VirtualEnvironmentFirewallOptions).node.path]);
  });

  it("resolves a nested stack afresh when its parent stack carries an aspect, and sees what that aspect changed", () => {
    const synth = (careless: boolean) => {
      const app = new App({ outdir: Testing.app().outdir });
      const parent = new TerraformStack(app, "parent");
      const nested = new PreparedStack(parent, "nested");
      new ProxmoxProvider(nested, "proxmox", {});
      hardenedVm(nested, "web");
      PolicyPack.addTo(nested);
      // cdktf runs a parent stack's aspects over its nested stacks, before their own.
      if (careless) Aspects.of(parent).add(new FirewallOff());
      app.synth();
    };
    expect(() => synth(false)).not.toThrow();
    expect(() => synth(true)).toThrow(/PVE-FW-001: .*firewall_options .* has enabled = false/);
  });
});
