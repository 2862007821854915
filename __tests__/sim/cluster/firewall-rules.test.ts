import { routes as firewallRoutes } from "../../../sim/routes/firewall";
import { call, fakeSim } from "./fake-sim";

const RULES = "/cluster/firewall/rules";
const RULE = "/cluster/firewall/rules/{pos}";

async function ruleOrder(sim: ReturnType<typeof fakeSim>, template = RULES, params = {}): Promise<string[]> {
  const list = (await call(firewallRoutes, sim, "GET", template, params)) as Array<{ comment: string; pos: number }>;
  list.forEach((rule, i) => expect(rule.pos).toBe(i));
  return list.map((r) => r.comment);
}

describe("firewall rules", () => {
  it("inserts each new rule at the top, so positions renumber like PVE", async () => {
    // GIVEN an empty cluster rule set
    const sim = fakeSim();
    // WHEN three rules are created in order a, b, c
    for (const comment of ["a", "b", "c"]) {
      await call(firewallRoutes, sim, "POST", RULES, {}, { type: "in", action: "ACCEPT", comment });
    }
    // THEN the last created is at position 0
    expect(await ruleOrder(sim)).toEqual(["c", "b", "a"]);
  });

  it("moves a rule before the one at moveto, and deleting renumbers the rest", async () => {
    // GIVEN rules c, b, a
    const sim = fakeSim();
    for (const comment of ["a", "b", "c"]) {
      await call(firewallRoutes, sim, "POST", RULES, {}, { type: "in", action: "DROP", comment });
    }
    // WHEN the rule at 2 moves to 0, then the rule at 1 is deleted
    await call(firewallRoutes, sim, "PUT", RULE, { pos: "2" }, { moveto: "0" });
    expect(await ruleOrder(sim)).toEqual(["a", "c", "b"]);
    await call(firewallRoutes, sim, "DELETE", RULE, { pos: "1" });
    // THEN the remaining rules are numbered 0 and 1
    expect(await ruleOrder(sim)).toEqual(["a", "b"]);
  });

  it("answers a single rule with pos as the string the provider decodes", async () => {
    // GIVEN a rule created with the provider's empty optional fields
    const sim = fakeSim();
    await call(
      firewallRoutes,
      sim,
      "POST",
      RULES,
      {},
      {
        type: "in",
        action: "ACCEPT",
        macro: "ssh",
        dest: "",
        dport: "",
        proto: "",
        source: "10.0.0.0/8",
        sport: "",
        comment: "",
        enable: "1",
      },
    );
    // WHEN it is read back
    const rule = (await call(firewallRoutes, sim, "GET", RULE, { pos: "0" })) as Record<string, unknown>;
    // THEN empty fields are absent, the macro is canonical and pos is a string
    expect(rule).toMatchObject({ type: "in", action: "ACCEPT", macro: "SSH", source: "10.0.0.0/8", enable: 1, ipversion: 4, pos: "0" });
    expect(rule).not.toHaveProperty("dest");
    expect(rule).not.toHaveProperty("comment");
  });

  it("reports a missing position with PVE's message", async () => {
    const sim = fakeSim();
    await expect(call(firewallRoutes, sim, "GET", RULE, { pos: "0" })).rejects.toThrow("no rule at position 0");
  });

  it("rejects an iface that is no netN on a VM", async () => {
    const sim = fakeSim();
    const vmRules = "/nodes/{node}/qemu/{vmid}/firewall/rules";
    await expect(
      call(firewallRoutes, sim, "POST", vmRules, { node: "pve1", vmid: "100" }, { type: "in", action: "ACCEPT", iface: "eth0" }),
    ).rejects.toMatchObject({ status: 400, errors: { iface: expect.stringContaining("net") } });
  });

  it("refuses a rule referencing an unknown ipset and accepts it once the ipset exists", async () => {
    // GIVEN no ipset
    const sim = fakeSim();
    const rule = { type: "in", action: "ACCEPT", source: "+trusted" };
    await expect(call(firewallRoutes, sim, "POST", RULES, {}, rule)).rejects.toMatchObject({
      errors: { source: "no such ipset 'trusted'" },
    });
    // WHEN the ipset is created THEN the same rule is accepted
    await call(firewallRoutes, sim, "POST", "/cluster/firewall/ipset", {}, { name: "trusted" });
    await call(firewallRoutes, sim, "POST", RULES, {}, rule);
    expect(await call(firewallRoutes, sim, "GET", RULES)).toHaveLength(1);
  });

  it("keeps only iface, comment and enable on a security-group rule of a VM", async () => {
    const sim = fakeSim();
    const params = { node: "pve1", vmid: "100" };
    await call(firewallRoutes, sim, "POST", "/nodes/{node}/qemu/{vmid}/firewall/rules", params, {
      type: "group",
      action: "web",
      iface: "net0",
      comment: " web tier ",
      enable: "1",
      proto: "tcp",
    });
    const rule = await call(firewallRoutes, sim, "GET", "/nodes/{node}/qemu/{vmid}/firewall/rules/{pos}", { ...params, pos: "0" });
    expect(rule).toEqual(expect.objectContaining({ type: "group", action: "web", iface: "net0", comment: "web tier", enable: 1 }));
    expect(rule).not.toHaveProperty("proto");
  });
});
