import type { TerraformStack } from "cdktf";
import { VirtualEnvironmentClusterFirewallSecurityGroup } from "../../../.gen/providers/proxmox/virtual-environment-cluster-firewall-security-group";
import { VirtualEnvironmentFirewallAlias } from "../../../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { VirtualEnvironmentFirewallIpset } from "../../../.gen/providers/proxmox/virtual-environment-firewall-ipset";
import { VirtualEnvironmentFirewallOptions } from "../../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { VirtualEnvironmentFirewallRules } from "../../../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { VirtualEnvironmentNodeFirewall } from "../../../.gen/providers/proxmox/virtual-environment-node-firewall";
import { firewallSlice } from "../../../sim/firewall/firewall-store";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

const NODE = "pve1";
const VMID = 4321;

interface Variant {
  readonly inputPolicy: string;
  readonly logLevelIn: string;
  readonly sshSource: string;
  readonly conntrackMax: number;
}

/**
 * VM-level firewall resources, plus the node's firewall options and rules. PVE keeps a guest's firewall in /etc/pve/firewall/<vmid>.fw and
 * does not require the VM to exist, so no VM resource is needed here.
 */
function vmFirewallStack(v: Variant): TerraformStack {
  const stack = providerStack("sim-vm-firewall");
  const target = { nodeName: NODE, vmId: VMID };
  const group = new VirtualEnvironmentClusterFirewallSecurityGroup(stack, "web", {
    name: "web",
    rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "80,443", comment: "http(s)" }],
  });
  new VirtualEnvironmentFirewallOptions(stack, "options", {
    ...target,
    enabled: true,
    dhcp: true,
    ipfilter: true,
    macfilter: true,
    ndp: true,
    radv: false,
    inputPolicy: v.inputPolicy,
    outputPolicy: "ACCEPT",
    logLevelIn: v.logLevelIn,
    logLevelOut: "nolog",
  });
  const alias = new VirtualEnvironmentFirewallAlias(stack, "bastion", { ...target, name: "bastion", cidr: "10.0.0.10" });
  const ipset = new VirtualEnvironmentFirewallIpset(stack, "admins", { ...target, name: "admins", cidr: [{ name: "10.0.5.0/24" }] });
  new VirtualEnvironmentFirewallRules(stack, "rules", {
    ...target,
    dependsOn: [group, alias, ipset],
    rule: [
      { securityGroup: "web", iface: "net0", comment: "web tier" },
      { type: "in", action: "ACCEPT", source: v.sshSource, macro: "SSH", comment: "ssh" },
      { type: "in", action: "ACCEPT", source: "+admins", proto: "icmp", comment: "ping from admins" },
    ],
  });
  new VirtualEnvironmentNodeFirewall(stack, "node", { nodeName: NODE, enabled: true, nfConntrackMax: v.conntrackMax, nftables: true });
  new VirtualEnvironmentFirewallRules(stack, "node-rules", {
    nodeName: NODE,
    rule: [{ type: "in", action: "ACCEPT", iface: "vmbr0", proto: "tcp", dport: "8006", comment: "web ui" }],
  });
  return stack;
}

describe("VM-level firewall with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  const guest = () => firewallSlice(suite.sim.state).guests[String(VMID)];

  it("applies VM and node firewall objects with a security group, re-plans empty, updates and destroys", async () => {
    // GIVEN a VM firewall: options, an alias, an ipset and rules using a security group
    const first: Variant = { inputPolicy: "DROP", logLevelIn: "nolog", sshSource: "bastion", conntrackMax: 262144 };
    wd = await suite.workdir(vmFirewallStack(first));

    // WHEN it is applied
    await wd.apply();

    // THEN the VM's firewall config holds it
    expect(guest().options).toMatchObject({
      enable: 1,
      dhcp: 1,
      ipfilter: 1,
      macfilter: 1,
      ndp: 1,
      radv: 0,
      policy_in: "DROP",
      policy_out: "ACCEPT",
      log_level_in: "nolog",
    });
    expect(guest().aliases.bastion).toMatchObject({ cidr: "10.0.0.10", ipversion: 4 });
    expect(guest().ipsets.admins).toEqual([{ cidr: "10.0.5.0/24" }]);
    expect(guest().rules).toEqual([
      { type: "group", action: "web", iface: "net0", comment: "web tier", enable: 1 },
      expect.objectContaining({ type: "in", macro: "SSH", source: "bastion", ipversion: 4 }),
      expect.objectContaining({ proto: "icmp", source: "+admins" }),
    ]);
    const host = firewallSlice(suite.sim.state).hosts[NODE];
    expect(host.options).toMatchObject({ enable: 1, nf_conntrack_max: 262144, nftables: 1, log_level_in: "nolog" });
    expect(host.rules).toEqual([expect.objectContaining({ iface: "vmbr0", dport: "8006" })]);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the policy, the log level, the SSH source and the node's conntrack limit change
    wd.write(vmFirewallStack({ inputPolicy: "REJECT", logLevelIn: "info", sshSource: "10.0.0.0/8", conntrackMax: 524288 }));
    await wd.apply();

    // THEN options and the rule change in place, positions unchanged
    expect(guest().options).toMatchObject({ policy_in: "REJECT", log_level_in: "info" });
    expect(guest().rules.map((r) => r.comment)).toEqual(["web tier", "ssh", "ping from admins"]);
    expect(guest().rules[1]).toMatchObject({ source: "10.0.0.0/8" });
    expect(firewallSlice(suite.sim.state).hosts[NODE].options.nf_conntrack_max).toBe(524288);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed
    await wd.destroy();

    // THEN rules, alias and ipset are gone
    expect(guest().rules).toEqual([]);
    expect(guest().aliases).toEqual({});
    expect(guest().ipsets).toEqual({});
    expect(firewallSlice(suite.sim.state).cluster.groups).toEqual({});
    // AND the node options the resource managed are reset (it deletes them)
    expect(firewallSlice(suite.sim.state).hosts[NODE].options).toEqual({});
    expect(firewallSlice(suite.sim.state).hosts[NODE].rules).toEqual([]);
  });
});
