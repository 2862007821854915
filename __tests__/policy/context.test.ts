import * as path from "path";
import { Fn, TerraformVariable, Token } from "cdktf";
import { VirtualEnvironmentFirewallOptions } from "../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { Peer } from "../../constructs/peer";
import { Port } from "../../constructs/port";
import { checkPolicy } from "../../policy/check-policy";
import { PolicyContext } from "../../policy/context";
import { captureSourceLocation, setSourceLocation, sourceLocationOf } from "../../policy/source-location";
import { findingsOf, hardenedVm, newStack, rawVm } from "./policy-fixtures";

describe("PolicyContext", () => {
  it("reads raw provider resources as Terraform will: overrides applied, lazy values produced, references kept as ${…}", () => {
    const { stack } = newStack("ctx");
    const vm = rawVm(stack, "raw", { vmId: 200 });
    vm.addOverride("protection", true);
    const web = hardenedVm(stack, "web", { ipv4: { address: "10.0.0.5/24" } });
    web.connections.allowFrom(Peer.cidr("10.1.0.0/16"), Port.HTTP);
    const ctx = new PolicyContext(stack);
    expect(ctx.resourceOf(vm)?.config).toMatchObject({
      vm_id: 200,
      protection: true,
      network_device: [expect.objectContaining({ firewall: true, mtu: null })],
    });
    const rules = ctx.ofType(["proxmox_virtual_environment_firewall_rules"])[0];
    expect(rules.config.rule).toEqual([expect.objectContaining({ type: "in", action: "ACCEPT", proto: "tcp", dport: "80", source: "10.1.0.0/16" })]);
    expect(rules.config.vm_id).toMatch(/^\$\{proxmox_virtual_environment_vm\.web_vm_[0-9A-F]+\.vm_id\}$/);
  });

  it("does not crash on values unknown until apply, and reports each as could not evaluate instead of deciding", () => {
    // GIVEN a VM and firewall options whose switches come from variables and functions
    const { stack } = newStack("unknown");
    const flag = new TerraformVariable(stack, "fw_enabled", { type: "bool" });
    const vm = rawVm(stack, "raw", {
      vmId: 300,
      tags: Token.asList(Fn.split(",", "prod,web")),
      protection: flag.booleanValue,
      agent: { enabled: flag.booleanValue, timeout: Token.asString(flag.value) },
      networkDevice: [{ bridge: Token.asString(flag.value), firewall: flag.booleanValue }],
    });
    new VirtualEnvironmentFirewallOptions(stack, "opts", {
      nodeName: "pve1",
      vmId: vm.vmId,
      enabled: flag.booleanValue,
      inputPolicy: Token.asString(flag.value),
    });
    // WHEN the policy runs THEN nothing throws, and each rule that needed an unknown value says so instead of deciding
    const found = checkPolicy(stack).filter((f) => ["PVE-FW-001", "PVE-FW-002", "PVE-FW-003", "PVE-AG-001", "PVE-AG-002", "PVE-OPS-006"].includes(f.ruleId));
    expect(found.length).toBeGreaterThanOrEqual(6);
    for (const f of found) expect(f.message).toMatch(/^could not evaluate \S+ of proxmox_virtual_environment_\w+\.\S+: it is "\$\{.*\}", known only at apply/);
    expect(new Set(found.map((f) => f.couldNotEvaluate))).toEqual(new Set(["enabled", "network_device[0].firewall", "agent.enabled", "tags"]));
  });

  it("takes the stage from the VM's tag first, then from the stage option", () => {
    const { stack } = newStack("stage");
    const tagged = rawVm(stack, "tagged", { tags: ["dev"] });
    const untagged = rawVm(stack, "untagged", { tags: ["web"] });
    const ctx = new PolicyContext(stack, { stage: "prod" });
    expect(ctx.stageOf(ctx.resourceOf(tagged)!)).toBe("dev");
    expect(ctx.stageOf(ctx.resourceOf(untagged)!)).toBe("prod");
    expect(new PolicyContext(stack).stageOf(new PolicyContext(stack).resourceOf(untagged)!)).toBeUndefined();
    expect(findingsOf(stack, "PVE-OPS-001", { stage: "prod" }).map((f) => f.path)).toEqual(["stage/untagged"]);
  });

  it("finds the VMs a value designates by literal id or by a reference to their vm_id, in lists too", () => {
    const { stack } = newStack("designated");
    const fixed = rawVm(stack, "fixed", { vmId: 4711 });
    const web = hardenedVm(stack, "web");
    const ctx = new PolicyContext(stack);
    const [f, w] = [ctx.resourceOf(fixed)!, ctx.resourceOf(web.resource)!];
    const ref = String(ctx.ofType(["proxmox_virtual_environment_firewall_options"])[0].config.vm_id);
    expect(ref).toMatch(/^\$\{proxmox_virtual_environment_vm\.web_vm_[0-9A-F]+\.vm_id\}$/);
    expect([...ctx.vmsDesignatedBy(4711)]).toEqual([f]);
    expect([...ctx.vmsDesignatedBy("4711")]).toEqual([f]);
    expect([...ctx.vmsDesignatedBy(ref)]).toEqual([w]);
    expect([...ctx.vmsDesignatedBy(`vm:${ref}`)]).toEqual([w]);
    expect([...ctx.vmsDesignatedBy([4711, ref, 1])]).toEqual([f, w]);
    expect([...ctx.vmsDesignatedBy(ref.replace(".vm_id}", ".name}"))]).toEqual([]);
    expect([...ctx.vmsDesignatedBy(undefined)]).toEqual([]);
  });

  it("counts distinct nodes unless the nodeCount option says otherwise", () => {
    const { stack } = newStack("nodes");
    hardenedVm(stack, "a", { cpuType: "host" });
    expect(new PolicyContext(stack).nodeCount).toBe(1);
    expect(findingsOf(stack, "PVE-HW-003")).toEqual([]);
    expect(findingsOf(stack, "PVE-HW-003", { nodeCount: 3 })).toHaveLength(1);
    expect(() => new PolicyContext(stack, { nodeCount: 0 })).toThrow(/nodeCount must be a positive integer, got 0/);
  });
});

describe("source locations", () => {
  it("attach the nearest recorded spec position to findings on the construct and its children", () => {
    const { stack } = newStack("src");
    const web = hardenedVm(stack, "web", { firewall: { macFilter: false } });
    setSourceLocation(web, { file: "environments/dev.yaml", line: 7, col: 5 });
    expect(findingsOf(stack, "PVE-FW-009")[0].source).toEqual({ file: "environments/dev.yaml", line: 7, col: 5 });
    expect(sourceLocationOf(stack)).toBeUndefined();
  });

  it("rejects a position that is not 1-based", () => {
    const { stack } = newStack("src");
    expect(() => setSourceLocation(stack, { file: "a.yaml", line: 0, col: 1 })).toThrow(
      /is not a source location — give a file and 1-based integer line and col/,
    );
  });

  it("can record the TypeScript line that built a construct", () => {
    const { stack } = newStack("src");
    const web = hardenedVm(stack, "web");
    captureSourceLocation(web);
    expect(sourceLocationOf(web)).toEqual({ file: path.join("__tests__", "policy", "context.test.ts"), line: expect.any(Number), col: expect.any(Number) });
  });
});
