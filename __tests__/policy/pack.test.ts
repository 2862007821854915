import { Aspects, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ProxmoxProvider } from "../../.gen/providers/proxmox/provider";
import { VirtualEnvironmentUserToken } from "../../.gen/providers/proxmox/virtual-environment-user-token";
import { BackupJob } from "../../constructs/backup-job";
import { ClusterFirewall } from "../../constructs/cluster-firewall";
import { HaResource } from "../../constructs/ha-resource";
import { PbsStorage } from "../../constructs/pbs-storage";
import { Port } from "../../constructs/port";
import { TerraformAccess } from "../../constructs/terraform-access";
import { checkPolicy } from "../../policy/check-policy";
import { PolicyPack } from "../../policy/pack";
import { suppress } from "../../policy/suppress";
import { hardenedVm, newStack, rawVm, templateOf } from "./policy-fixtures";

/** A prod stack built only from the constructs' defaults: template, 2 VMs, cluster firewall, backups, HA, access. */
function defaultsStack(): TerraformStack {
  const { stack } = newStack("prod");
  templateOf(stack);
  const vms = [
    hardenedVm(stack, "web-1", { stage: "prod", ipv4: { address: "10.20.0.11/24" } }),
    hardenedVm(stack, "web-2", { stage: "prod", node: "pve2", ipv4: { address: "10.20.0.12/24" } }),
  ];
  new ClusterFirewall(stack, "fw");
  const password = new TerraformVariable(stack, "pbs_password", { type: "string", sensitive: true }).value;
  const pbs = new PbsStorage(stack, "pbs", { storageId: "pbs", server: "pbs.example.invalid", datastore: "prod", username: "pve@pbs", password });
  new BackupJob(stack, "backup", { jobId: "prod-nightly", storage: pbs.storageId, vmIds: vms.map((v) => v.vmId) });
  vms.forEach((v, i) => new HaResource(stack, `ha-${i + 1}`, { vmId: v.vmId }));
  new TerraformAccess(stack, "tf", { manages: [stack], tokenExpiry: "2099-03-01T00:00:00Z" });
  return stack;
}

/** A prod stack with a firewall-less, world-open, unprotected, unbacked-up VM, a root raw VM and a forever token. */
function insecureStack(): TerraformStack {
  const { stack } = newStack("insecure");
  const web = hardenedVm(stack, "web", { stage: "prod", protection: false, ipv4: { address: "10.20.0.11/24" }, firewall: { enabled: false } });
  web.connections.allowFromAnyIpv4(Port.SSH);
  rawVm(stack, "legacy", { tags: ["prod"], initialization: { userAccount: { username: "root", keys: [] } } });
  new ClusterFirewall(stack, "fw", { enabled: false });
  new VirtualEnvironmentUserToken(stack, "token", { userId: "terraform@pve", tokenName: "cdk", privilegesSeparation: false });
  new TerraformVariable(stack, "root_password", { type: "string" });
  return stack;
}

function annotations(scope: IConstruct, type: string): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === type).map((m) => `${c.node.path}: ${m.data}`));
}

describe("PolicyPack", () => {
  it("fails synth on an insecure stack and lists every error with its rule id, path and fix", () => {
    // GIVEN an insecure stack with the pack
    const stack = insecureStack();
    const errors = checkPolicy(stack).filter((f) => f.severity === "error");
    Aspects.of(stack).add(new PolicyPack());
    // WHEN it synthesises THEN cdktf refuses, naming each error finding
    let message = "";
    try {
      Testing.fullSynth(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe("");
    expect(new Set(errors.map((f) => f.ruleId))).toEqual(
      new Set([
        "PVE-FW-001",
        "PVE-FW-002",
        "PVE-FW-004",
        "PVE-FW-006",
        "PVE-OPS-001",
        "PVE-OPS-002",
        "PVE-CI-002",
        "PVE-CI-003",
        "PVE-IAM-003",
        "PVE-IAM-004",
        "PVE-SEC-001",
      ]),
    );
    for (const f of errors) {
      expect(message).toContain(`[${f.path}] ${f.ruleId}: ${f.message}`);
      expect(message).toContain(`Fix: ${f.remediation}`);
    }
  });

  it("lets a stack built from the constructs' defaults synthesise with no error, only the vmbr0 warning", () => {
    // GIVEN the defaults stack with the pack
    const stack = defaultsStack();
    const pack = new PolicyPack();
    Aspects.of(stack).add(pack);
    // WHEN it synthesises THEN nothing fails, and the only findings are warnings about the untagged default bridge
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(pack.lastResult?.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(pack.lastResult?.findings.map((f) => `${f.ruleId} ${f.path}`)).toEqual(["PVE-NET-001 prod/web-1/vm", "PVE-NET-001 prod/web-2/vm"]);
    expect(annotations(stack, "@cdktf/warn")).toEqual([
      expect.stringMatching(/^prod\/web-1\/vm: PVE-NET-001: prod VM "web-1": network_device #1 is on vmbr0/),
      expect.stringMatching(/^prod\/web-2\/vm: PVE-NET-001: /),
    ]);
  });

  it("annotates warnings, infos and suppressed findings without failing synth, once however often aspects run", () => {
    // GIVEN an untagged raw VM (info PVE-OPS-006) whose missing firewall (error PVE-FW-001) is suppressed
    const { stack } = newStack("levels");
    new ClusterFirewall(stack, "fw");
    const vm = rawVm(stack, "untagged", { tags: undefined, vmId: 150 });
    suppress(vm, "PVE-FW-001", { reason: "firewall managed by the legacy Ansible play until Q3" });
    Aspects.of(stack).add(new PolicyPack());
    // WHEN aspects run twice (Testing.synth, then a full synth)
    Testing.synth(stack);
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    // THEN each finding is annotated exactly once at its level
    expect(annotations(stack, "@cdktf/info")).toEqual(
      expect.arrayContaining([
        expect.stringContaining("levels/untagged: PVE-OPS-006: "),
        "levels/untagged: PVE-FW-001 suppressed: firewall managed by the legacy Ansible play until Q3",
      ]),
    );
    expect(annotations(stack, "@cdktf/info").filter((a) => a.includes("PVE-FW-001"))).toHaveLength(1);
    expect(annotations(stack, "@cdktf/error")).toEqual([]);
  });

  it("evaluates only the subtree it was added to, with the whole stack as context", () => {
    // GIVEN a bad VM and a good one, the pack added to the good one only; backups defined elsewhere in the stack
    const { stack } = newStack("scoped");
    new ClusterFirewall(stack, "fw");
    hardenedVm(stack, "bad", { firewall: { enabled: false } });
    const good = hardenedVm(stack, "good", { stage: "prod", vmId: 101 });
    new BackupJob(stack, "backup", { jobId: "all", storage: "pbs", vmIds: [101] });
    new HaResource(stack, "ha", { vmId: 101 });
    const pack = new PolicyPack();
    Aspects.of(good).add(pack);
    // WHEN synthesising THEN the bad VM's error is not this pack's business, and the backup job elsewhere counts
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(pack.lastResult?.findings.map((f) => f.ruleId)).toEqual(["PVE-NET-001"]);
  });
});

describe("PolicyPack.addTo", () => {
  it("adds a pack to every stack of an App, so that each stack's synth is checked", () => {
    // GIVEN an app with a clean stack and an insecure one
    const { app, stack: clean } = newStack("clean");
    new ClusterFirewall(clean, "fw");
    const bad = new TerraformStack(app, "bad");
    new ProxmoxProvider(bad, "proxmox", {});
    new ClusterFirewall(bad, "fw", { enabled: false });
    // WHEN packs are added through the App
    const packs = PolicyPack.addTo(app);
    // THEN both stacks carry one, and only the insecure stack fails
    expect(packs).toHaveLength(2);
    expect(() => Testing.fullSynth(clean)).not.toThrow();
    expect(() => Testing.fullSynth(bad)).toThrow(/\[bad\/fw\/options\] PVE-FW-004: /);
  });

  it("refuses a scope outside any stack with a message saying what to pass", () => {
    const { app } = newStack("x");
    expect(() => checkPolicy(new Construct(app, "loose"))).toThrow(
      /"loose" is not inside a TerraformStack — pass the App, a stack, or a construct inside a stack/,
    );
  });
});

describe("PolicyPack.addTo with two copies of the CDK library", () => {
  it("refuses a stack built with another copy than proxmox-cdk's, whose synth would never run the pack, and names the fix", () => {
    // GIVEN a stack from a second, separately loaded copy of the CDK library (as cdktn imported as "cdktn" next to proxmox-cdk's "cdktf")
    let other: typeof import("cdktf") | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require("cdktf");
    });
    const { App: OtherApp, TerraformStack: OtherStack } = other as typeof import("cdktf");
    const stack = new OtherStack(new OtherApp({ outdir: Testing.app().outdir }), "foreign");
    // WHEN the pack is added to it, or to its App; THEN both are refused with the fix
    expect(() => PolicyPack.addTo(stack)).toThrow(/stack "foreign" was built with another copy of the CDK library .*npm install cdktf@npm:cdktn@0\.24\.0/);
    expect(() => PolicyPack.addTo(stack.node.scope as IConstruct)).toThrow(/another copy of the CDK library/);
  });
});
