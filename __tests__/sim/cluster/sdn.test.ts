import { routes } from "../../../sim/routes/sdn";
import { sdnSlice } from "../../../sim/sdn/sdn-store";
import { call, fakeSim } from "./fake-sim";

const ZONE = "/cluster/sdn/zones/{zone}";

async function withVlanZone() {
  const sim = fakeSim();
  await call(routes, sim, "POST", "/cluster/sdn/zones", {}, { type: "vlan", zone: "tenants", bridge: "vmbr0", mtu: "1496", nodes: "pve2,pve1" });
  return sim;
}

describe("SDN pending and running config", () => {
  it("shows an unapplied zone as new with its options under pending", async () => {
    const sim = await withVlanZone();
    expect(await call(routes, sim, "GET", ZONE, { zone: "tenants" }, { pending: "1" })).toEqual({
      zone: "tenants",
      type: "vlan",
      state: "new",
      pending: { bridge: "vmbr0", mtu: 1496, nodes: "pve1,pve2" },
    });
  });

  it("shows nothing pending after PUT /cluster/sdn, which answers a task", async () => {
    const sim = await withVlanZone();
    const upid = await call(routes, sim, "PUT", "/cluster/sdn");
    expect(upid).toMatch(/^UPID:pve1:.*:reloadnetworkall:/);
    expect(await call(routes, sim, "GET", ZONE, { zone: "tenants" }, { pending: "1" })).toEqual({
      zone: "tenants",
      type: "vlan",
      bridge: "vmbr0",
      mtu: 1496,
      nodes: "pve1,pve2",
    });
  });

  it("keeps running values on top and marks changed and deleted keys", async () => {
    // GIVEN an applied zone
    const sim = await withVlanZone();
    await call(routes, sim, "PUT", "/cluster/sdn");
    // WHEN its MTU changes and its node list is deleted
    await call(routes, sim, "PUT", ZONE, { zone: "tenants" }, { mtu: "1450", delete: "nodes" });
    // THEN the pending view shows both, with the running values on top
    expect(await call(routes, sim, "GET", ZONE, { zone: "tenants" }, { pending: "1" })).toMatchObject({
      mtu: 1496,
      nodes: "pve1,pve2",
      state: "changed",
      pending: { mtu: 1450, nodes: "deleted" },
    });
  });

  it("answers a deleted but applied zone as deleted until the next apply", async () => {
    const sim = await withVlanZone();
    await call(routes, sim, "PUT", "/cluster/sdn");
    await call(routes, sim, "DELETE", ZONE, { zone: "tenants" });
    expect(await call(routes, sim, "GET", ZONE, { zone: "tenants" }, { pending: "1" })).toMatchObject({ state: "deleted", pending: {} });
    await expect(call(routes, sim, "GET", ZONE, { zone: "tenants" })).rejects.toThrow("sdn 'tenants' does not exist");
  });
});

describe("SDN object checks", () => {
  it("requires a unique VLAN tag per vlan zone", async () => {
    const sim = await withVlanZone();
    await expect(call(routes, sim, "POST", "/cluster/sdn/vnets", {}, { vnet: "a", zone: "tenants" })).rejects.toMatchObject({
      errors: { tag: "missing vlan tag" },
    });
    await call(routes, sim, "POST", "/cluster/sdn/vnets", {}, { vnet: "a", zone: "tenants", tag: "10" });
    await expect(call(routes, sim, "POST", "/cluster/sdn/vnets", {}, { vnet: "b", zone: "tenants", tag: "10" })).rejects.toMatchObject({
      errors: { tag: "tag 10 already exist in vnet a" },
    });
  });

  it("derives the subnet id from zone and CIDR and refuses a gateway outside the subnet", async () => {
    const sim = await withVlanZone();
    await call(routes, sim, "POST", "/cluster/sdn/vnets", {}, { vnet: "a", zone: "tenants", tag: "10" });
    const subnets = "/cluster/sdn/vnets/{vnet}/subnets";
    await expect(call(routes, sim, "POST", subnets, { vnet: "a" }, { subnet: "10.1.0.0/24", type: "subnet", gateway: "10.2.0.1" })).rejects.toMatchObject({
      errors: { gateway: "10.2.0.1 is not in subnet 10.1.0.0/24" },
    });
    await call(
      routes,
      sim,
      "POST",
      subnets,
      { vnet: "a" },
      {
        subnet: "10.1.0.0/24",
        type: "subnet",
        gateway: "10.1.0.1",
        "dhcp-range": "start-address=10.1.0.10,end-address=10.1.0.20",
      },
    );
    expect(await call(routes, sim, "GET", `${subnets}/{subnet}`, { vnet: "a", subnet: "tenants-10.1.0.0-24" })).toMatchObject({
      subnet: "tenants-10.1.0.0-24",
      cidr: "10.1.0.0/24",
      zone: "tenants",
      mask: "24",
      gateway: "10.1.0.1",
      "dhcp-range": [{ "start-address": "10.1.0.10", "end-address": "10.1.0.20" }],
    });
  });

  it("refuses to delete a vnet with subnets and a zone with vnets", async () => {
    const sim = await withVlanZone();
    await call(routes, sim, "POST", "/cluster/sdn/vnets", {}, { vnet: "a", zone: "tenants", tag: "10" });
    await call(routes, sim, "POST", "/cluster/sdn/vnets/{vnet}/subnets", { vnet: "a" }, { subnet: "10.1.0.0/24", type: "subnet" });
    await expect(call(routes, sim, "DELETE", "/cluster/sdn/vnets/{vnet}", { vnet: "a" })).rejects.toMatchObject({ status: 400 });
    await expect(call(routes, sim, "DELETE", ZONE, { zone: "tenants" })).rejects.toThrow("zone tenants is used by vnet a");
    expect(Object.keys(sdnSlice(sim.state).vnets)).toEqual(["a"]);
  });

  it("refuses an IPAM that does not exist and options of another zone type", async () => {
    const sim = fakeSim();
    const zones = "/cluster/sdn/zones";
    await expect(call(routes, sim, "POST", zones, {}, { type: "simple", zone: "s", ipam: "netbox" })).rejects.toMatchObject({
      errors: { ipam: "netbox not existing" },
    });
    await expect(call(routes, sim, "POST", zones, {}, { type: "simple", zone: "s", bridge: "vmbr0" })).rejects.toThrow("unexpected property 'bridge'");
    await expect(call(routes, sim, "POST", zones, {}, { type: "vlan", zone: "v" })).rejects.toThrow("missing value for required option 'bridge'");
  });
});
