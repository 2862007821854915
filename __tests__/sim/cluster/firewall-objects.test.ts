import { firewallSlice } from "../../../sim/firewall/firewall-store";
import { cleanCidr, parseAddressList, parseIpOrCidr } from "../../../sim/firewall/ip";
import { routes } from "../../../sim/routes/firewall";
import { call, fakeSim } from "./fake-sim";

describe("firewall address normalisation", () => {
  it("clears host bits and compresses IPv6 like clean_cidr", () => {
    expect(cleanCidr("10.0.0.5/24")).toBe("10.0.0.0/24");
    expect(cleanCidr("2001:db8:0:0:1::7/64")).toBe("2001:db8::/64");
  });

  it("drops a host prefix like parse_ip_or_cidr", () => {
    expect(parseIpOrCidr("10.0.0.5/32")).toEqual({ cidr: "10.0.0.5", version: 4 });
    expect(parseIpOrCidr("fd00::1/128")).toEqual({ cidr: "fd00::1", version: 6 });
  });

  it("refuses mixed IP versions and ranges inside lists", () => {
    expect(() => parseAddressList("10.0.0.1,fd00::1")).toThrow("detected mixed ipv4/ipv6");
    expect(() => parseAddressList("10.0.0.1-10.0.0.9,10.0.1.1")).toThrow("you can't use a range in a list");
    expect(parseAddressList("10.0.0.1-10.0.0.9")).toBe(4);
  });
});

describe("firewall aliases, ipsets and security groups", () => {
  it("stores an alias under its lower-cased name and reads it back without /32", async () => {
    const sim = fakeSim();
    await call(routes, sim, "POST", "/cluster/firewall/aliases", {}, { name: "Bastion", cidr: "10.0.0.10/32", comment: "" });
    const alias = await call(routes, sim, "GET", "/cluster/firewall/aliases/{name}", { name: "BASTION" });
    expect(alias).toEqual({ name: "Bastion", cidr: "10.0.0.10", ipversion: 4 });
    await expect(call(routes, sim, "POST", "/cluster/firewall/aliases", {}, { name: "bastion", cidr: "10.0.0.11" })).rejects.toMatchObject({
      errors: { name: "alias 'bastion' already exists" },
    });
  });

  it("normalises ipset entries and refuses duplicates and zero prefixes", async () => {
    const sim = fakeSim();
    await call(routes, sim, "POST", "/cluster/firewall/ipset", {}, { name: "Office" });
    const params = { name: "office" }; // the config parser folds ipset names to lower case
    await call(routes, sim, "POST", "/cluster/firewall/ipset/{name}", params, { cidr: "192.168.1.77/24" });
    await call(routes, sim, "POST", "/cluster/firewall/ipset/{name}", params, { cidr: "192.168.2.1/32", nomatch: "1" });
    expect(await call(routes, sim, "GET", "/cluster/firewall/ipset/{name}", params)).toEqual([
      expect.objectContaining({ cidr: "192.168.2.1", nomatch: 1 }),
      expect.objectContaining({ cidr: "192.168.1.0/24" }),
    ]);
    await expect(call(routes, sim, "POST", "/cluster/firewall/ipset/{name}", params, { cidr: "192.168.1.0/24" })).rejects.toMatchObject({ status: 400 });
    await expect(call(routes, sim, "POST", "/cluster/firewall/ipset/{name}", params, { cidr: "0.0.0.0/0" })).rejects.toMatchObject({
      errors: { cidr: "a zero prefix is not allowed in ipset entries" },
    });
    await expect(call(routes, sim, "GET", "/cluster/firewall/ipset/{name}", { name: "Office" })).rejects.toThrow("no such IPSet 'Office'");
  });

  it("renames a security group and points the rules using it at the new name", async () => {
    // GIVEN group `web` used by a VM rule
    const sim = fakeSim();
    await call(routes, sim, "POST", "/cluster/firewall/groups", {}, { group: "web", comment: "old" });
    await call(routes, sim, "POST", "/nodes/{node}/qemu/{vmid}/firewall/rules", { node: "pve1", vmid: "100" }, { type: "group", action: "web" });
    // WHEN it is renamed to `frontend`
    await call(routes, sim, "POST", "/cluster/firewall/groups", {}, { group: "frontend", rename: "web", comment: "new" });
    // THEN the group list and the VM rule use the new name
    expect(await call(routes, sim, "GET", "/cluster/firewall/groups")).toEqual([expect.objectContaining({ group: "frontend", comment: "new" })]);
    expect(firewallSlice(sim.state).guests["100"].rules[0].action).toBe("frontend");
  });

  it("refuses to delete a security group that still has rules", async () => {
    const sim = fakeSim();
    await call(routes, sim, "POST", "/cluster/firewall/groups", {}, { group: "db" });
    await call(routes, sim, "POST", "/cluster/firewall/groups/{group}", { group: "db" }, { type: "in", action: "ACCEPT", proto: "tcp", dport: "5432" });
    await expect(call(routes, sim, "DELETE", "/cluster/firewall/groups/{group}", { group: "db" })).rejects.toThrow("Security group 'db' is not empty");
    await call(routes, sim, "DELETE", "/cluster/firewall/groups/{group}/{pos}", { group: "db", pos: "0" });
    await call(routes, sim, "DELETE", "/cluster/firewall/groups/{group}", { group: "db" });
    expect(firewallSlice(sim.state).cluster.groups).toEqual({});
  });

  it("keeps options as numbers, refuses unknown deletions and honours the digest", async () => {
    const sim = fakeSim();
    const path = "/nodes/{node}/firewall/options";
    await call(routes, sim, "PUT", path, { node: "pve1" }, { enable: "1", nf_conntrack_max: "262144", log_level_in: "info" });
    const options = (await call(routes, sim, "GET", path, { node: "pve1" })) as Record<string, unknown>;
    expect(options).toMatchObject({ enable: 1, nf_conntrack_max: 262144, log_level_in: "info" });
    await expect(call(routes, sim, "PUT", path, { node: "pve1" }, { delete: "policy_in" })).rejects.toMatchObject({
      errors: { delete: "no such option 'policy_in'" },
    });
    await expect(call(routes, sim, "PUT", path, { node: "pve1" }, { enable: "0", digest: "0".repeat(40) })).rejects.toThrow("detected modified configuration");
  });
});
