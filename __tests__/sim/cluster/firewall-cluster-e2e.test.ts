import type { TerraformStack } from "cdktf";
import { VirtualEnvironmentClusterFirewall } from "../../../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { VirtualEnvironmentClusterFirewallSecurityGroup } from "../../../.gen/providers/proxmox/virtual-environment-cluster-firewall-security-group";
import { VirtualEnvironmentFirewallAlias } from "../../../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { VirtualEnvironmentFirewallIpset } from "../../../.gen/providers/proxmox/virtual-environment-firewall-ipset";
import { VirtualEnvironmentFirewallRules } from "../../../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { firewallSlice } from "../../../sim/firewall/firewall-store";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

interface Variant {
  readonly inputPolicy: string;
  readonly groupComment: string;
  readonly groupRules: Array<{ type: string; action: string; macro?: string; proto?: string; dport?: string; comment: string }>;
  readonly aliasCidr: string;
  readonly ipsetComment: string;
}

function clusterFirewallStack(v: Variant): TerraformStack {
  const stack = providerStack("sim-cluster-firewall");
  new VirtualEnvironmentClusterFirewall(stack, "cluster", {
    enabled: true,
    inputPolicy: v.inputPolicy,
    outputPolicy: "ACCEPT",
    logRatelimit: { enabled: true, burst: 10, rate: "5/second" },
  });
  const group = new VirtualEnvironmentClusterFirewallSecurityGroup(stack, "web", {
    name: "web",
    comment: v.groupComment,
    rule: v.groupRules.map((r) => ({ ...r, log: "info" })),
  });
  new VirtualEnvironmentFirewallAlias(stack, "mgmt", { name: "mgmt-net", cidr: v.aliasCidr, comment: "management" });
  const ipset = new VirtualEnvironmentFirewallIpset(stack, "trusted", {
    name: "trusted",
    comment: v.ipsetComment,
    cidr: [
      { name: "192.168.10.0/24", comment: "office" },
      { name: "192.168.20.5", nomatch: true },
    ],
  });
  new VirtualEnvironmentFirewallRules(stack, "cluster-rules", {
    dependsOn: [group, ipset],
    rule: [
      { securityGroup: "web", comment: "web tier" },
      { type: "in", action: "ACCEPT", source: "+trusted", proto: "tcp", dport: "22", comment: "ssh from trusted" },
    ],
  });
  return stack;
}

describe("cluster firewall with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  const fw = () => firewallSlice(suite.sim.state).cluster;

  it("applies options, a security group, an alias, an ipset and rules, re-plans empty, updates and destroys", async () => {
    // GIVEN a cluster firewall with a security group, an alias, an ipset and cluster rules
    const first: Variant = {
      inputPolicy: "DROP",
      groupComment: "web servers",
      groupRules: [
        { type: "in", action: "ACCEPT", macro: "SSH", comment: "ssh" },
        { type: "in", action: "ACCEPT", proto: "tcp", dport: "443", comment: "https" },
      ],
      aliasCidr: "10.10.0.0/24",
      ipsetComment: "trusted networks",
    };
    wd = await suite.workdir(clusterFirewallStack(first));

    // WHEN it is applied
    await wd.apply();

    // THEN the simulator holds what was declared, in the declared rule order
    expect(fw().options).toMatchObject({ enable: 1, policy_in: "DROP", policy_out: "ACCEPT", log_ratelimit: "enable=1,burst=10,rate=5/second" });
    expect(fw().groups.web.map((r) => r.comment)).toEqual(["ssh", "https"]);
    expect(fw().groups.web[0]).toMatchObject({ type: "in", action: "ACCEPT", macro: "SSH", log: "info", enable: 1 });
    expect(fw().groupComments.web).toBe("web servers");
    expect(fw().aliases["mgmt-net"]).toMatchObject({ name: "mgmt-net", cidr: "10.10.0.0/24", comment: "management" });
    expect(
      fw()
        .ipsets.trusted.map((e) => e.cidr)
        .sort(),
    ).toEqual(["192.168.10.0/24", "192.168.20.5"]);
    expect(fw().ipsets.trusted.find((e) => e.cidr === "192.168.20.5")).toMatchObject({ nomatch: 1 });
    expect(fw().rules).toEqual([
      expect.objectContaining({ type: "group", action: "web", comment: "web tier" }),
      expect.objectContaining({ type: "in", source: "+trusted", dport: "22", comment: "ssh from trusted" }),
    ]);
    // AND a second plan finds nothing to change
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the policy, the group (comment and a third rule in front), the alias and the ipset comment change
    const second: Variant = {
      inputPolicy: "REJECT",
      groupComment: "web servers v2",
      groupRules: [{ type: "in", action: "ACCEPT", macro: "Ping", comment: "ping" }, ...first.groupRules],
      aliasCidr: "10.20.0.0/24",
      ipsetComment: "trusted networks v2",
    };
    wd.write(clusterFirewallStack(second));
    await wd.apply();

    // THEN the same objects are updated in place
    expect(fw().options.policy_in).toBe("REJECT");
    expect(fw().groups.web.map((r) => r.comment)).toEqual(["ping", "ssh", "https"]);
    expect(fw().groupComments.web).toBe("web servers v2");
    expect(fw().aliases["mgmt-net"].cidr).toBe("10.20.0.0/24");
    expect(fw().ipsetComments.trusted).toBe("trusted networks v2");
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed
    await wd.destroy();

    // THEN groups, aliases, ipsets and rules are gone (options stay: PVE has no "delete" for them)
    expect(fw().groups).toEqual({});
    expect(fw().aliases).toEqual({});
    expect(fw().ipsets).toEqual({});
    expect(fw().rules).toEqual([]);
  });
});
