import { TerraformStack } from "cdktf";
import { FirewallRule, RuleAction } from "../../../constructs/firewall-rule";
import { Peer } from "../../../constructs/peer";
import { Port } from "../../../constructs/port";
import { SecurityGroup } from "../../../constructs/security-group";
import { firstMatch, Packet, RenderedRule } from "../../constructs/first-match";
import { providerStack } from "../harness/provider-stack";
import { simulatorSuite } from "../harness/simulator-suite";
import { apiGet } from "./sim-api";

jest.setTimeout(600_000);

// The order the constructs render is only worth something if it is the order PVE ends up with:
// the real provider creates the rules one by one and then moves them into place. This applies a
// security group (a rule list without a VM) to the simulator, reads the rules back from the API
// in position order, and asks the first-match evaluator what PVE would do with a few packets.

const GROUP = "order";

function rule(action: RuleAction, peer: string, port: Port): FirewallRule {
  return { direction: "in", action, port, peer: peer.includes("/") ? Peer.cidr(peer) : Peer.host(peer) };
}

function groupStack(rules: readonly FirewallRule[]): TerraformStack {
  const stack = providerStack("fw-order");
  const group = new SecurityGroup(stack, "group", { name: GROUP });
  rules.forEach((r) => group.connections.add(r));
  return stack;
}

const tcp = (port: number, address: string): Packet => ({ direction: "in", proto: "tcp", port, address });
const ping = (address: string): Packet => ({ direction: "in", proto: "icmp", icmpType: "echo-request", address });

describe("first-match order through the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();

  async function verdicts(packets: readonly Packet[]): Promise<string[]> {
    const stored = (await apiGet(suite.sim, `/cluster/firewall/groups/${GROUP}`)) as (RenderedRule & { pos: number; enable?: number })[];
    const rules = [...stored].sort((a, b) => a.pos - b.pos).map((r) => ({ ...r, enabled: r.enable !== 0 }));
    return packets.map((p) => `${p.address} ${p.proto}/${p.port ?? p.icmpType}: ${firstMatch(rules, p, { policy: "DROP" }).action}`);
  }

  it("stores DROP/REJECT rules before the wider ACCEPTs they were added before, also after a change, and re-plans empty", async () => {
    // GIVEN a group: ssh dropped from one host then opened to its network; https opened to one
    // host then rejected for its network; ping from the network
    const first = [
      rule("DROP", "10.0.0.5", Port.SSH),
      rule("ACCEPT", "10.0.0.0/8", Port.SSH),
      rule("ACCEPT", "10.1.0.5", Port.HTTPS),
      rule("REJECT", "10.1.0.0/16", Port.HTTPS),
      rule("ACCEPT", "10.0.0.0/8", Port.PING),
    ];
    const wd = await suite.workdir(groupStack(first));
    // WHEN applied
    await wd.apply();
    // THEN PVE's first match does what the rules said, in the order they were added
    const packets = [
      tcp(22, "10.0.0.5"),
      tcp(22, "10.0.0.6"),
      tcp(443, "10.1.0.5"),
      tcp(443, "10.1.0.6"),
      tcp(443, "10.2.0.6"),
      ping("10.0.0.5"),
      ping("192.168.0.1"),
    ];
    expect(await verdicts(packets)).toEqual([
      "10.0.0.5 tcp/22: DROP",
      "10.0.0.6 tcp/22: ACCEPT",
      "10.1.0.5 tcp/443: ACCEPT",
      "10.1.0.6 tcp/443: REJECT",
      "10.2.0.6 tcp/443: DROP",
      "10.0.0.5 icmp/echo-request: ACCEPT",
      "192.168.0.1 icmp/echo-request: DROP",
    ]);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN a DROP for a second host is added before everything and applied as a change
    wd.write(groupStack([rule("DROP", "10.0.0.6", Port.SSH), ...first]));
    await wd.apply();
    // THEN it applies too (the provider moved the rules into the rendered order) and nothing else changed
    expect(await verdicts(packets)).toEqual([
      "10.0.0.5 tcp/22: DROP",
      "10.0.0.6 tcp/22: DROP",
      "10.1.0.5 tcp/443: ACCEPT",
      "10.1.0.6 tcp/443: REJECT",
      "10.2.0.6 tcp/443: DROP",
      "10.0.0.5 icmp/echo-request: ACCEPT",
      "192.168.0.1 icmp/echo-request: DROP",
    ]);
    expect(await verdicts([tcp(22, "10.0.0.7")])).toEqual(["10.0.0.7 tcp/22: ACCEPT"]);
    expect((await wd.plan()).exitCode).toBe(0);
    await wd.destroy();
  });
});
