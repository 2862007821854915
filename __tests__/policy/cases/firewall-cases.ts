import { VirtualEnvironmentClusterFirewall } from "../../../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { VirtualEnvironmentClusterFirewallSecurityGroup } from "../../../.gen/providers/proxmox/virtual-environment-cluster-firewall-security-group";
import { VirtualEnvironmentFirewallIpset } from "../../../.gen/providers/proxmox/virtual-environment-firewall-ipset";
import { VirtualEnvironmentFirewallOptions } from "../../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { VirtualEnvironmentFirewallRules } from "../../../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { ClusterFirewall } from "../../../constructs/cluster-firewall";
import { Peer } from "../../../constructs/peer";
import { Port } from "../../../constructs/port";
import { hardenedVm, rawVm, RuleCase } from "../policy-fixtures";

const STATIC = { ipv4: { address: "10.20.0.11/24" } } as const;
const ADMINS = Peer.cidr("10.99.0.0/24");

export const FIREWALL_CASES: readonly RuleCase[] = [
  {
    ruleId: "PVE-FW-001",
    bad: {
      "a HardenedVm with firewall.enabled false": (s) => hardenedVm(s, "web", { firewall: { enabled: false } }),
      "a raw VM without any firewall_options resource": (s) => rawVm(s, "raw", { vmId: 120 }),
      "firewall_options that leave enabled unset (provider default: off)": (s) => {
        rawVm(s, "raw", { vmId: 121 });
        new VirtualEnvironmentFirewallOptions(s, "opts", { nodeName: "pve1", vmId: 121, inputPolicy: "DROP" });
      },
    },
    good: (s) => {
      hardenedVm(s, "web");
      rawVm(s, "raw", { vmId: 122 });
      new VirtualEnvironmentFirewallOptions(s, "opts", { nodeName: "pve1", vmId: 122, enabled: true });
    },
  },
  {
    ruleId: "PVE-FW-002",
    bad: {
      "a raw VM NIC with firewall = false": (s) => {
        const vm = rawVm(s, "raw", { vmId: 130, networkDevice: [{ bridge: "vmbr0", firewall: false }] });
        new VirtualEnvironmentFirewallOptions(s, "opts", { nodeName: "pve1", vmId: vm.vmId, enabled: true });
      },
      "a raw VM NIC without the firewall flag": (s) => rawVm(s, "raw", { networkDevice: [{ bridge: "vmbr1" }] }),
      "a hardened VM's extra NIC with firewall: false": (s) => hardenedVm(s, "web", { extraNics: [{ bridge: "vmbr1", firewall: false }] }),
    },
    good: (s) => hardenedVm(s, "web", { extraNics: [{ bridge: "vmbr1", vlanId: 20 }] }),
  },
  {
    ruleId: "PVE-FW-003",
    bad: {
      "inbound policy ACCEPT": (s) => hardenedVm(s, "web", { firewall: { inboundPolicy: "ACCEPT" } }),
      "inbound policy REJECT": (s) => hardenedVm(s, "web", { firewall: { inboundPolicy: "REJECT" } }),
    },
    good: (s) => hardenedVm(s, "web", { firewall: { outboundPolicy: "DROP" } }),
  },
  {
    ruleId: "PVE-FW-004",
    bad: {
      "ClusterFirewall with enabled false": (s) => new ClusterFirewall(s, "fw", { enabled: false }),
      "a raw cluster firewall that leaves enabled unset": (s) => new VirtualEnvironmentClusterFirewall(s, "fw", { inputPolicy: "DROP" }),
    },
    good: (s) => new ClusterFirewall(s, "fw"),
  },
  {
    ruleId: "PVE-FW-005",
    bad: { "a stack with a VM and no cluster firewall": (s) => hardenedVm(s, "web") },
    good: (s) => {
      hardenedVm(s, "web");
      new ClusterFirewall(s, "fw");
    },
  },
  {
    ruleId: "PVE-FW-006",
    bad: {
      "SSH from 0.0.0.0/0 on a VM": (s) => hardenedVm(s, "web", STATIC).connections.allowFromAnyIpv4(Port.SSH),
      "a security group accepting tcp/22 with no source": (s) =>
        new VirtualEnvironmentClusterFirewallSecurityGroup(s, "sg", { name: "open", rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "22" }] }),
      "the SSH macro from an IP set holding 0.0.0.0/0": (s) => {
        new VirtualEnvironmentFirewallIpset(s, "everyone", { name: "everyone", cidr: [{ name: "0.0.0.0/0" }] });
        new VirtualEnvironmentFirewallRules(s, "rules", {
          nodeName: "pve1",
          vmId: 140,
          rule: [{ type: "in", action: "ACCEPT", macro: "SSH", source: "+everyone" }],
        });
      },
      "a port range 20:30 from ::/0": (s) =>
        new VirtualEnvironmentFirewallRules(s, "rules", { rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "20:30", source: "::/0" }] }),
    },
    good: (s) => {
      hardenedVm(s, "web", STATIC).connections.allowFrom(ADMINS, Port.SSH);
      new VirtualEnvironmentFirewallRules(s, "rules", {
        rule: [
          { type: "in", action: "ACCEPT", proto: "tcp", dport: "22", source: "0.0.0.0/0", enabled: false },
          { type: "in", action: "DROP", proto: "tcp", dport: "22" },
          { type: "out", action: "ACCEPT", proto: "tcp", dport: "22" },
          { type: "in", action: "ACCEPT", proto: "udp", dport: "22" },
        ],
      });
    },
  },
  {
    ruleId: "PVE-FW-007",
    bad: {
      "RDP from 0.0.0.0/0": (s) => hardenedVm(s, "win", STATIC).connections.allowFromAnyIpv4(Port.RDP),
      "WinRM over HTTPS from anywhere": (s) => hardenedVm(s, "win", STATIC).connections.allowFromAnyIpv4(Port.WINRM_HTTPS),
    },
    good: (s) => hardenedVm(s, "win", STATIC).connections.allowFrom(ADMINS, Port.RDP),
  },
  {
    ruleId: "PVE-FW-008",
    bad: {
      "PostgreSQL from 0.0.0.0/0": (s) => hardenedVm(s, "db", STATIC).connections.allowFromAnyIpv4(Port.POSTGRES),
      "a tcp range 3000:4000 (MySQL inside) from anywhere": (s) =>
        new VirtualEnvironmentFirewallRules(s, "rules", { rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "3000:4000", source: "0.0.0.0/0" }] }),
    },
    good: (s) => {
      const db = hardenedVm(s, "db", STATIC);
      db.connections.allowFrom(Peer.cidr("10.20.0.0/24"), Port.POSTGRES);
      db.connections.allowFromAnyIpv4(Port.HTTPS);
    },
  },
  {
    ruleId: "PVE-FW-009",
    bad: { "macFilter false": (s) => hardenedVm(s, "web", { firewall: { macFilter: false } }) },
    good: (s) => hardenedVm(s, "web"),
  },
  {
    ruleId: "PVE-FW-010",
    bad: { "cluster inbound policy ACCEPT": (s) => new ClusterFirewall(s, "fw", { inboundPolicy: "ACCEPT" }) },
    good: (s) => new ClusterFirewall(s, "fw"),
  },
];
