import type { TerraformStack } from "cdktf";
import { VirtualEnvironmentSdnApplier } from "../../../.gen/providers/proxmox/virtual-environment-sdn-applier";
import { VirtualEnvironmentSdnSubnet } from "../../../.gen/providers/proxmox/virtual-environment-sdn-subnet";
import { VirtualEnvironmentSdnVnet } from "../../../.gen/providers/proxmox/virtual-environment-sdn-vnet";
import { VirtualEnvironmentSdnZoneVlan } from "../../../.gen/providers/proxmox/virtual-environment-sdn-zone-vlan";
import { sdnSlice } from "../../../sim/sdn/sdn-store";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

interface Variant {
  readonly mtu: number;
  readonly alias: string;
  readonly gateway: string;
}

/** A VLAN zone, a vnet, a subnet, and the applier the provider documents: replaced whenever they change. */
function sdnStack(v: Variant): TerraformStack {
  const stack = providerStack("sim-sdn");
  const zone = new VirtualEnvironmentSdnZoneVlan(stack, "zone", { id: "tenants", bridge: "vmbr0", ipam: "pve", mtu: v.mtu, nodes: ["pve2", "pve1"] });
  const vnet = new VirtualEnvironmentSdnVnet(stack, "vnet", { id: "vnet100", zone: zone.id, tag: 100, alias: v.alias });
  const subnet = new VirtualEnvironmentSdnSubnet(stack, "subnet", {
    vnet: vnet.id,
    cidr: "10.50.0.0/24",
    gateway: v.gateway,
    snat: true,
    dhcpRange: { startAddress: "10.50.0.100", endAddress: "10.50.0.200" },
  });
  // cdktf renders resources in replaceTriggeredBy as "${…}", which Terraform JSON refuses in a
  // lifecycle block; plain addresses work.
  const address = (r: { terraformResourceType: string; friendlyUniqueId: string }) => `${r.terraformResourceType}.${r.friendlyUniqueId}`;
  new VirtualEnvironmentSdnApplier(stack, "apply", {
    dependsOn: [zone, vnet, subnet],
    lifecycle: { replaceTriggeredBy: [zone, vnet, subnet].map(address) },
  });
  return stack;
}

describe("SDN zone, vnet, subnet and applier with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  const sdn = () => sdnSlice(suite.sim.state);

  it("applies and activates the SDN objects, re-plans empty, updates them in place and destroys them", async () => {
    // GIVEN a VLAN zone with a tagged vnet and a subnet
    const first: Variant = { mtu: 1496, alias: "tenant network", gateway: "10.50.0.1" };
    wd = await suite.workdir(sdnStack(first));

    // WHEN it is applied
    await wd.apply();

    // THEN the config holds the objects and the applier made them the running config
    const zone = { type: "vlan", bridge: "vmbr0", ipam: "pve", mtu: "1496", nodes: "pve1,pve2" };
    const vnet = { type: "vnet", zone: "tenants", tag: "100", alias: "tenant network" };
    const subnet = { type: "subnet", vnet: "vnet100", gateway: "10.50.0.1", snat: "1", "dhcp-range": "start-address=10.50.0.100,end-address=10.50.0.200" };
    expect(sdn().zones.tenants).toEqual(zone);
    expect(sdn().vnets.vnet100).toEqual(vnet);
    expect(sdn().subnets["tenants-10.50.0.0-24"]).toEqual(subnet);
    expect(sdn().running.zones.tenants).toEqual(zone);
    expect(sdn().running.subnets["tenants-10.50.0.0-24"]).toEqual(subnet);
    // AND nothing is left pending, so a second plan finds nothing to change
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the zone MTU, the vnet alias and the subnet gateway change
    wd.write(sdnStack({ mtu: 1450, alias: "tenants v2", gateway: "10.50.0.254" }));
    // zone and vnet change in place; the subnet is replaced because provider 0.111.1 plans its
    // computed `id` (RequiresReplace, no UseStateForUnknown) as unknown on any change
    expect((await wd.plan()).output).toMatch(/2 to add, 2 to change, 2 to destroy/);
    await wd.apply();

    // THEN the objects are updated and the replaced applier activated the change
    expect(sdn().running.zones.tenants.mtu).toBe("1450");
    expect(sdn().running.vnets.vnet100.alias).toBe("tenants v2");
    expect(sdn().running.subnets["tenants-10.50.0.0-24"].gateway).toBe("10.50.0.254");
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed
    await wd.destroy();

    // THEN the config is empty (the applier ran first, so the deletion itself is still pending)
    expect(sdn().zones).toEqual({});
    expect(sdn().vnets).toEqual({});
    expect(sdn().subnets).toEqual({});
  });
});
