import { RunningSimulator, skippedFirewallRules, startSimulator } from "../../../sim/index";
import { apiWrite } from "../../e2e/constructs/sim-api";

describe("firewall compile: rules naming a missing IP set (pve-firewall parse_fw_rule, verify_rule noerr)", () => {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await startSimulator();
    await apiWrite(sim, "POST", "/nodes/pve1/qemu", { vmid: 100, name: "db" });
    await apiWrite(sim, "POST", "/cluster/firewall/ipset", { name: "web" });
    await apiWrite(sim, "POST", "/cluster/firewall/ipset/web", { cidr: "10.0.0.5" });
    await apiWrite(sim, "POST", "/nodes/pve1/qemu/100/firewall/rules", {
      type: "in",
      action: "ACCEPT",
      source: "+web",
      proto: "tcp",
      dport: "5432",
      enable: 1,
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it("records nothing while every rule compiles", () => {
    expect(skippedFirewallRules(sim.state)).toEqual([]);
  });

  it("records the window when a referenced set is replaced the way the provider replaces it (delete entries, delete set, create)", async () => {
    // WHEN the set is emptied and deleted (PVE does not check references) and created again
    await apiWrite(sim, "DELETE", "/cluster/firewall/ipset/web/10.0.0.5");
    await apiWrite(sim, "DELETE", "/cluster/firewall/ipset/web");
    await apiWrite(sim, "POST", "/cluster/firewall/ipset", { name: "web" });
    // THEN the rule was skipped in between: inbound postgres fell to the guest's DROP policy
    expect(skippedFirewallRules(sim.state).map((r) => [r.where, r.error])).toEqual([["guest 100 rule 0", "source: no such ipset 'web'"]]);
  });

  it("records a set entry naming an alias that does not exist", async () => {
    // GIVEN an alias in the set, WHEN the alias is deleted
    await apiWrite(sim, "POST", "/cluster/firewall/aliases", { name: "web-1", cidr: "10.0.0.6" });
    await apiWrite(sim, "POST", "/cluster/firewall/ipset/web", { cidr: "web-1" });
    await apiWrite(sim, "DELETE", "/cluster/firewall/aliases/web-1");
    // THEN the entry is the one skipped
    expect(skippedFirewallRules(sim.state).map((r) => r.error)).toEqual(["no such alias 'web-1'"]);
  });
});
