import { dhcpAddress } from "../../../sim/qemu/guest-agent";
import { fakeContext } from "./fake-context";
import { config, createVm, seedImportImage, SSH_KEY } from "./vm-requests";

async function vm100(extra: Record<string, string> = {}) {
  const ctx = fakeContext();
  seedImportImage(ctx);
  await createVm(ctx, 100, extra);
  return ctx;
}

type Iface = { name: string; "hardware-address": string; "ip-addresses": Array<{ "ip-address": string; "ip-address-type": string; prefix: number }> };

describe("simulated guest agent", () => {
  it("reports the cloud-init address of a running VM's NIC next to loopback", async () => {
    // GIVEN a running VM with ipconfig0 ip=10.0.10.5/24
    const ctx = await vm100();
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");

    // WHEN the agent is asked for interfaces
    const { result } = (await ctx.call("GET", "/nodes/pve1/qemu/100/agent/network-get-interfaces")) as { result: Iface[] };

    // THEN lo and eth0 (with the VM's MAC) carry their addresses
    const mac = String((await config(ctx, 100)).net0)
      .split(",")[0]
      .split("=")[1]
      .toLowerCase();
    expect(result.map((i) => i.name)).toEqual(["lo", "eth0"]);
    expect(result[1]["hardware-address"]).toBe(mac);
    expect(result[1]["ip-addresses"][0]).toEqual({ "ip-address": "10.0.10.5", "ip-address-type": "ipv4", prefix: 24 });
  });

  it("invents a stable 10.x lease for a DHCP NIC", async () => {
    const ctx = await vm100({ ipconfig0: "ip=dhcp" });
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");
    const { result } = (await ctx.call("GET", "/nodes/pve1/qemu/100/agent/network-get-interfaces")) as { result: Iface[] };
    const lease = dhcpAddress(100, result[1]["hardware-address"]);
    expect(lease.address).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(result[1]["ip-addresses"][0]).toEqual({ "ip-address": lease.address, "ip-address-type": "ipv4", prefix: 24 });
  });

  it("answers PVE's errors when the VM is stopped, the agent disabled or not configured", async () => {
    const ctx = await vm100();
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/agent/ping")).rejects.toMatchObject({ status: 500, message: "VM 100 is not running" });
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { agent: "enabled=0" });
    await ctx.task("POST", "/nodes/pve1/qemu/100/status/start");
    await expect(ctx.call("POST", "/nodes/pve1/qemu/100/agent/ping")).rejects.toThrow("QEMU guest agent is not running");
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { delete: "agent" });
    await expect(ctx.call("GET", "/nodes/pve1/qemu/100/agent/get-osinfo")).rejects.toThrow("No QEMU guest agent configured");
  });
});

describe("cloud-init data", () => {
  it("dumps NoCloud user data with the unescaped key and a masked password", async () => {
    const ctx = await vm100();
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { cipassword: "x" });
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/cloudinit/dump", { type: "user" })).toBe(
      `#cloud-config\nhostname: vm100\nmanage_etc_hosts: true\nfqdn: vm100\nuser: admin\npassword: **********\nssh_authorized_keys:\n  - ${SSH_KEY}\nchpasswd:\n  expire: False\nusers:\n  - default\npackage_upgrade: true\n`,
    );
  });

  it("dumps the static address as NoCloud network data", async () => {
    const ctx = await vm100();
    const network = String(await ctx.call("GET", "/nodes/pve1/qemu/100/cloudinit/dump", { type: "network" }));
    expect(network).toContain("      - type: static\n        address: '10.0.10.5'\n        netmask: '255.255.255.0'\n        gateway: '10.0.10.1'\n");
  });

  it("shows changes since the drive was generated as pending until it is regenerated", async () => {
    const ctx = await vm100();
    await ctx.call("PUT", "/nodes/pve1/qemu/100/config", { ciuser: "ops" });
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/cloudinit")).toContainEqual({ key: "ciuser", pending: "ops" });
    await ctx.call("PUT", "/nodes/pve1/qemu/100/cloudinit");
    expect(await ctx.call("GET", "/nodes/pve1/qemu/100/cloudinit")).toContainEqual({ key: "ciuser", value: "ops" });
  });
});
