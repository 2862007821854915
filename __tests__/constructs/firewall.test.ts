import { Testing } from "cdktf";
import { VirtualEnvironmentClusterFirewall } from "../../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { VirtualEnvironmentFirewallAlias } from "../../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { ClusterFirewall } from "../../constructs/cluster-firewall";
import { FirewallAlias } from "../../constructs/firewall-alias";
import { FirewallIpSet } from "../../constructs/firewall-ipset";
import { HardenedVm } from "../../constructs/hardened-vm";
import { Peer } from "../../constructs/peer";
import { Port } from "../../constructs/port";
import { SecurityGroup } from "../../constructs/security-group";
import { firstMatch } from "./first-match";
import { SSH_KEY, newStack, onlyResource, synthJson } from "./fixtures";

function staticVm(stack: ReturnType<typeof newStack>["stack"], id: string, ip: string, extra = {}) {
  return new HardenedVm(stack, id, {
    node: "pve1",
    name: id,
    imageFileId: "local:import/d.qcow2",
    user: { sshKeys: [SSH_KEY] },
    ipv4: { address: `${ip}/24` },
    ...extra,
  });
}

function rulesOf(stack: ReturnType<typeof newStack>["stack"], vmId: string): Record<string, unknown>[] {
  const all = synthJson(stack).resource.proxmox_virtual_environment_firewall_rules ?? {};
  const entry = Object.entries(all).find(([k]) => k.startsWith(`${vmId}_firewall_rules`));
  return entry ? (entry[1] as { rule: Record<string, unknown>[] }).rule : [];
}

describe("Port", () => {
  it("renders single ports and ranges in PVE's dport syntax", () => {
    expect(Port.tcp(22).dport).toBe("22");
    expect(Port.tcpRange(8000, 8080).dport).toBe("8000:8080");
    expect(Port.icmp().dport).toBeUndefined();
  });
  it.each([[0], [65536], [1.5]])("rejects port %p", (p) => {
    expect(() => Port.tcp(p)).toThrow(/port must be an integer between 1 and 65535/);
  });
  it("rejects a reversed range", () => {
    expect(() => Port.tcpRange(9000, 8000)).toThrow(/range 9000-8000 is reversed/);
  });
});

describe("Port.icmp: exactly the ICMP that was asked for, never more", () => {
  const icmpFrom = (icmpType: string) => ({ direction: "in" as const, proto: "icmp" as const, icmpType, address: "10.0.0.10" });

  it.each(["echo-reply", "timestamp-request", "destination-unreachable"])(
    "refuses ICMP type %s, which the provider cannot render exactly, naming what to use instead",
    (type) => {
      expect(() => Port.icmp(type)).toThrow(
        new RegExp(
          `^Port\\.icmp\\("${type}"\\): ICMP type "${type}" cannot be rendered exactly .* would open every ICMP type\\. Not widened: use Port\\.icmp\\("echo-request"\\) for ping .* or Port\\.icmp\\(\\) to open every ICMP type on purpose\\.$`,
        ),
      );
    },
  );

  it("refuses a name that is not an ICMP type, and spells every type as Port.icmp()", () => {
    expect(() => Port.icmp("echo")).toThrow(/^Port\.icmp\("echo"\): not an ICMP type PVE knows — use Port\.icmp\("echo-request"\)/);
    expect(() => Port.icmp("any")).toThrow(/write Port\.icmp\(\) to open every ICMP type/);
  });

  it("renders ping as PVE's Ping macro, which admits echo-request and no other ICMP type", () => {
    const { stack } = newStack();
    staticVm(stack, "db", "10.0.0.20").connections.allowFrom(Peer.host("10.0.0.10"), Port.PING);
    const rules = rulesOf(stack, "db");
    expect(rules).toEqual([
      { type: "in", action: "ACCEPT", macro: "Ping", source: "10.0.0.10", comment: "in icmp/echo-request from 10.0.0.10", enabled: true },
    ]);
    expect(firstMatch(rules, icmpFrom("echo-request"), { policy: "DROP" }).action).toBe("ACCEPT");
    expect(firstMatch(rules, icmpFrom("echo-reply"), { policy: "DROP" }).action).toBe("DROP");
  });

  it("renders a bare Port.icmp() as every ICMP type, as written", () => {
    const { stack } = newStack();
    staticVm(stack, "db", "10.0.0.20").connections.allowFrom(Peer.host("10.0.0.10"), Port.icmp());
    const rules = rulesOf(stack, "db");
    expect(rules).toEqual([{ type: "in", action: "ACCEPT", proto: "icmp", source: "10.0.0.10", comment: "in icmp from 10.0.0.10", enabled: true }]);
    expect(firstMatch(rules, icmpFrom("timestamp-request"), { policy: "DROP" }).action).toBe("ACCEPT");
  });
});

describe("Peer", () => {
  it("writes ipsets with a plus and aliases by name", () => {
    expect(Peer.ipset("web").address).toBe("+web");
    expect(Peer.alias("admins").address).toBe("admins");
    expect(Peer.anyIpv4().isAnyIpv4).toBe(true);
  });
  it("rejects a CIDR that is not a CIDR", () => {
    expect(() => Peer.cidr("10.0.0.0/33")).toThrow(/Peer.cidr: cidr "10.0.0.0\/33" is not an IPv4 CIDR/);
  });
});

describe("connections", () => {
  it("opens ingress on the target only, when the source does not restrict egress", () => {
    const { stack } = newStack();
    const app = staticVm(stack, "app", "10.0.0.10");
    const db = staticVm(stack, "db", "10.0.0.20");
    db.connections.allowFrom(app, Port.POSTGRES);
    expect(rulesOf(stack, "db")).toEqual([
      { type: "in", action: "ACCEPT", proto: "tcp", dport: "5432", source: "10.0.0.10", comment: "in tcp/5432 from 10.0.0.10", enabled: true },
    ]);
    expect(rulesOf(stack, "app")).toEqual([]);
  });

  it("opens the egress side on a source whose outbound policy is DROP", () => {
    const { stack } = newStack();
    const app = staticVm(stack, "app", "10.0.0.10", { firewall: { outboundPolicy: "DROP" } });
    const db = staticVm(stack, "db", "10.0.0.20");
    app.connections.allowTo(db, Port.POSTGRES);
    expect(rulesOf(stack, "app")).toEqual([expect.objectContaining({ type: "out", dest: "10.0.0.20", dport: "5432" })]);
    expect(rulesOf(stack, "db")).toEqual([expect.objectContaining({ type: "in", source: "10.0.0.10" })]);
  });

  it("emits rules in the same order whatever order they were added in", () => {
    const order = (reverse: boolean) => {
      const { stack } = newStack();
      const web = staticVm(stack, "web", "10.0.0.10");
      const adds = [
        () => web.connections.allowFromAnyIpv4(Port.HTTPS),
        () => web.connections.allowFrom(Peer.cidr("10.9.0.0/16"), Port.SSH),
        () => web.connections.allowFromAnyIpv4(Port.HTTP),
      ];
      (reverse ? adds.reverse() : adds).forEach((f) => f());
      return rulesOf(stack, "web").map((r) => r.dport);
    };
    expect(order(false)).toEqual(["22", "443", "80"].sort((a, b) => a.padStart(5, "0").localeCompare(b.padStart(5, "0"))));
    expect(order(true)).toEqual(order(false));
  });

  it("creates no rules resource for a VM without rules", () => {
    const { stack } = newStack();
    staticVm(stack, "lonely", "10.0.0.30");
    expect(synthJson(stack).resource.proxmox_virtual_environment_firewall_rules).toBeUndefined();
  });
});

describe("SecurityGroup", () => {
  it("holds sorted rules and is inserted first in a VM's rule list", () => {
    const { stack } = newStack();
    const sg = new SecurityGroup(stack, "admin", { name: "admin-ssh" });
    sg.connections.allowFrom(Peer.cidr("10.9.0.0/16"), Port.SSH);
    const vm = staticVm(stack, "web", "10.0.0.10");
    vm.addSecurityGroup(sg);
    vm.connections.allowFromAnyIpv4(Port.HTTPS);
    const group = onlyResource(stack, "proxmox_virtual_environment_cluster_firewall_security_group") as { name: string; rule: unknown[] };
    expect(group.name).toBe("admin-ssh");
    expect(group.rule).toEqual([expect.objectContaining({ type: "in", dport: "22", source: "10.9.0.0/16" })]);
    const rules = rulesOf(stack, "web");
    expect(rules[0]).toEqual({
      security_group: expect.stringContaining("proxmox_virtual_environment_cluster_firewall_security_group."),
      comment: expect.any(String),
      enabled: true,
    });
    expect(rules[1]).toMatchObject({ dport: "443" });
  });
  it("rejects a name longer than PVE's 18 characters", () => {
    const { stack } = newStack();
    expect(() => new SecurityGroup(stack, "g", { name: "a-very-long-group-name" })).toThrow(/at most 18/);
  });
});

describe("aliases, IP sets and the cluster firewall", () => {
  it("creates an alias usable as a peer", () => {
    const { stack } = newStack();
    const admins = new FirewallAlias(stack, "admins", { name: "admins", cidr: "203.0.113.0/24" });
    expect(admins.peer.label).toBe("alias:admins");
    const vm = staticVm(stack, "web", "10.0.0.10");
    vm.connections.allowFrom(admins.peer, Port.SSH);
    // The rule references the alias resource, so Terraform creates the alias first.
    expect(rulesOf(stack, "web")[0].source).toMatch(/^\$\{proxmox_virtual_environment_firewall_alias\.admins_alias_[0-9A-F]+\.name\}$/);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallAlias, { name: "admins", cidr: "203.0.113.0/24" });
  });
  it("emits IP set entries sorted and without duplicates", () => {
    const { stack } = newStack();
    const set = new FirewallIpSet(stack, "web", { name: "web", entries: [{ cidr: "10.0.0.12" }] });
    set.addCidr("10.0.0.11");
    set.addCidr("10.0.0.12");
    set.addCidr("10.9.0.0/16");
    expect((onlyResource(stack, "proxmox_virtual_environment_firewall_ipset") as { cidr: { name: string }[] }).cidr.map((c) => c.name)).toEqual([
      "10.0.0.11",
      "10.0.0.12",
      "10.9.0.0/16",
    ]);
  });
  it("emits literal entries sorted and VM addresses in the order they were added, whatever order their tokens were made in", () => {
    const ordered = (vmsMadeIn: readonly ("a" | "b")[]) => {
      const { stack } = newStack();
      const set = new FirewallIpSet(stack, "web", { name: "web" });
      const vms: Record<string, HardenedVm> = {};
      for (const id of vmsMadeIn)
        vms[id] = new HardenedVm(stack, id, { node: "pve1", name: id, imageFileId: "local:import/d.qcow2", user: { sshKeys: [SSH_KEY] } });
      set.addCidr(vms.b.ipv4Address, "b");
      set.addCidr("10.0.0.9", "literal");
      set.addCidr(vms.a.ipv4Address, "a");
      return (onlyResource(stack, "proxmox_virtual_environment_firewall_ipset") as { cidr: { comment: string }[] }).cidr.map((c) => c.comment);
    };
    expect(ordered(["b", "a"])).toEqual(["literal", "b", "a"]);
    expect(ordered(["a", "b"])).toEqual(["literal", "b", "a"]);
  });
  it("refuses host entries with /32 and networks with host bits, which PVE would rewrite", () => {
    const { stack } = newStack();
    const set = new FirewallIpSet(stack, "web", { name: "web" });
    expect(() => set.addCidr("10.0.0.11/32")).toThrow(/without \/32/);
    expect(() => set.addCidr("10.0.0.1/24")).toThrow(/host bits set/);
  });
  it("refuses uppercase names, which PVE lower-cases", () => {
    const { stack } = newStack();
    expect(() => new FirewallIpSet(stack, "web", { name: "Web" })).toThrow(/start with a lowercase letter/);
  });
  it("enables the cluster firewall with DROP in and a log rate limit by default", () => {
    const { stack } = newStack();
    new ClusterFirewall(stack, "fw");
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentClusterFirewall, {
      enabled: true,
      input_policy: "DROP",
      output_policy: "ACCEPT",
      log_ratelimit: { enabled: true, rate: "1/second", burst: 5 },
    });
  });
  it("can be disabled explicitly", () => {
    const { stack } = newStack();
    new ClusterFirewall(stack, "fw", { enabled: false });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentClusterFirewall, { enabled: false });
  });
  it("rejects a malformed log rate", () => {
    const { stack } = newStack();
    expect(() => new ClusterFirewall(stack, "fw", { logRate: "fast" })).toThrow(/logRate "fast" must look like 1\/second/);
  });
});
