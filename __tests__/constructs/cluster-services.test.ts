import { Testing } from "cdktf";
import { BackupJob as BackupJobResource } from "../../.gen/providers/proxmox/backup-job";
import { Haresource } from "../../.gen/providers/proxmox/haresource";
import { VirtualEnvironmentPool } from "../../.gen/providers/proxmox/virtual-environment-pool";
import { SdnVnet } from "../../.gen/providers/proxmox/sdn-vnet";
import { SdnZoneVlan } from "../../.gen/providers/proxmox/sdn-zone-vlan";
import { BackupJob } from "../../constructs/backup-job";
import { EnvironmentNetwork } from "../../constructs/environment-network";
import { HaResource } from "../../constructs/ha-resource";
import { ResourcePool } from "../../constructs/resource-pool";
import { newStack, synthJson } from "./fixtures";

describe("EnvironmentNetwork", () => {
  it("builds a vlan zone, a tagged vnet, a subnet and an applier with SDN", () => {
    const { stack } = newStack();
    const net = new EnvironmentNetwork(stack, "net", { vlanId: 20, subnet: "10.20.0.0/24", gateway: "10.20.0.1" });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(SdnZoneVlan, { id: "envs", bridge: "vmbr0" });
    expect(json).toHaveResourceWithProperties(SdnVnet, { id: "v20", tag: 20 });
    const applier = Object.values(synthJson(stack).resource.proxmox_sdn_applier).find((a) => "lifecycle" in a) as {
      depends_on: string[];
      lifecycle: { replace_triggered_by: string[] };
    };
    expect(applier.depends_on).toHaveLength(3);
    expect(applier.lifecycle.replace_triggered_by).toEqual([
      expect.stringMatching(/^proxmox_sdn_zone_vlan\./),
      expect.stringMatching(/^proxmox_sdn_vnet\./),
      expect.stringMatching(/^proxmox_sdn_subnet\./),
    ]);
    expect(net.nicVlanId).toBeUndefined();
  });
  it("tags NICs on the bridge when SDN is not wanted", () => {
    const { stack } = newStack();
    const net = new EnvironmentNetwork(stack, "net", { vlanId: 30, sdn: false });
    expect(net.bridge).toBe("vmbr0");
    expect(net.nicVlanId).toBe(30);
    expect(synthJson(stack).resource?.proxmox_sdn_zone_vlan).toBeUndefined();
  });
  it.each<[string, object, RegExp]>([
    ["a subnet with host bits", { vlanId: 20, subnet: "10.20.0.5/24" }, /has host bits set — the network address is 10.20.0.0\/24/],
    ["a VLAN of 0", { vlanId: 0, subnet: "10.0.0.0/24" }, /vlanId must be an integer between 1 and 4094, got 0/],
    ["an SDN id PVE rejects", { vlanId: 20, subnet: "10.0.0.0/24", zoneId: "Zone_1" }, /zoneId "Zone_1" must be 1-8 lowercase/],
    ["SDN without a subnet", { vlanId: 20 }, /subnet is required with SDN/],
  ])("rejects %s", (_w, props, msg) => {
    const { stack } = newStack();
    expect(() => new EnvironmentNetwork(stack, "net", props as never)).toThrow(msg);
  });
});

describe("BackupJob", () => {
  it("keeps 7 daily, 4 weekly and 3 monthly backups by default", () => {
    const { stack } = newStack();
    new BackupJob(stack, "b", { jobId: "prod-nightly", storage: "backup", vmIds: [101, 102] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(BackupJobResource, {
      id: "prod-nightly",
      vmid: ["101", "102"],
      prune_backups: { "keep-daily": "7", "keep-weekly": "4", "keep-monthly": "3" },
      mode: "snapshot",
      compress: "zstd",
    });
  });
  it("rejects a job that keeps nothing or selects nothing", () => {
    const { stack } = newStack();
    expect(() => new BackupJob(stack, "a", { jobId: "x1", storage: "s", vmIds: [1], retention: { keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } })).toThrow(
      /keeps nothing/,
    );
    expect(() => new BackupJob(stack, "b", { jobId: "x2", storage: "s" })).toThrow(/must select guests/);
  });
});

describe("HaResource and ResourcePool", () => {
  it("requests the started state with bounded restarts", () => {
    const { stack } = newStack();
    new HaResource(stack, "ha", { vmId: 101 });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Haresource, { resource_id: "vm:101", state: "started", max_restart: 1, max_relocate: 1 });
    expect(() => new HaResource(stack, "ha2", { vmId: 102, maxRestart: 99 })).toThrow(/maxRestart must be an integer between 0 and 10, got 99/);
  });
  it("creates a pool and rejects a bad id", () => {
    const { stack } = newStack();
    new ResourcePool(stack, "pool", { poolId: "prod", comment: "prod guests" });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentPool, { pool_id: "prod" });
    expect(() => new ResourcePool(stack, "bad", { poolId: "no spaces" })).toThrow(/poolId "no spaces"/);
  });
});
