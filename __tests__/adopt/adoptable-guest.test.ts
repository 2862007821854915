import { adoptableGuest, AdoptionContext } from "../../adopt/adoptable-guest";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import type { LiveGuest } from "../../scan/live-snapshot";
import { sshPublicKey } from "../sim/qemu/fixtures";

const env = resolveDefaults(
  parseEnvironment(
    `name: brown
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0 } }
templates: {}
tiers: {}
vmIdRange: { start: 200, end: 299 }
cloudInit: { user: ops, sshKeys: ["${sshPublicKey("ops@adopt")}"] }
adopted: {}
`,
    "environments/brown.yaml",
  ),
);
const ctx: AdoptionContext = { env, takenNames: new Set(["taken"]), adoptedIds: new Map([[250, "environments/other.yaml adopted.x"]]), haResources: [] };
const NO_FIREWALL = { options: {}, rules: [] };
const vm = (config: Record<string, unknown>, over: Partial<LiveGuest> = {}): LiveGuest => ({
  type: "qemu",
  node: "pve1",
  vmid: 201,
  config: {
    name: "legacy-201",
    memory: "1024",
    cores: "2",
    scsi0: "local-lvm:vm-201-disk-0,size=4G",
    ide2: "local-lvm:vm-201-cloudinit,media=cdrom",
    net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=20",
    ...config,
  },
  firewall: NO_FIREWALL,
  ...over,
});
const ct = (config: Record<string, unknown>): LiveGuest => ({
  type: "lxc",
  node: "pve1",
  vmid: 206,
  config: {
    hostname: "legacy-ct",
    unprivileged: 1,
    memory: 512,
    rootfs: "local-lvm:vm-206-disk-0,size=4G",
    net0: "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1,firewall=1",
    ...config,
  },
  firewall: NO_FIREWALL,
});
const reason = (g: LiveGuest, c: AdoptionContext = ctx) => {
  const r = adoptableGuest(g, c);
  return "reason" in r ? r.reason : "adoptable";
};

describe("which running guests can be adopted in place", () => {
  it("adopts a single-disk VirtIO VM with its live node, id, sizes, disk and network", () => {
    expect(adoptableGuest(vm({ ipconfig0: "ip=10.0.0.9/24,gw=10.0.0.1", tags: "prod;web" }), ctx)).toEqual({
      name: "legacy-201",
      entry: {
        vmid: 201,
        node: "pve1",
        cores: 2,
        memoryMiB: 1024,
        disk: { interface: "scsi0", storage: "local-lvm", sizeGiB: 4 },
        network: { bridge: "vmbr0", vlan: 20 },
        ipv4: "10.0.0.9/24",
        gateway: "10.0.0.1",
        tags: ["prod", "web"],
      },
      notes: [],
    });
  });

  it("adopts an unprivileged container with a static address and the NIC firewall flag", () => {
    expect(adoptableGuest(ct({}), ctx)).toMatchObject({
      name: "legacy-ct",
      entry: { kind: "container", ipv4: "10.0.0.5/24", gateway: "10.0.0.1", disk: { storage: "local-lvm", sizeGiB: 4 } },
    });
  });

  it.each([
    ["a template", vm({ template: 1 }), "a VM template"],
    ["an id adopted elsewhere", vm({}, { vmid: 250 }), "already adopted (environments/other.yaml adopted.x)"],
    ["another node", vm({}, { node: "pve7" }), "not one of the environment's nodes"],
    ["an id outside vmIdRange", vm({}, { vmid: 300 }), "outside the environment's vmIdRange 200..299"],
    ["a name that is not a DNS label", vm({ name: "Legacy_201" }), "is not a DNS label"],
    ["a taken name", vm({ name: "taken" }), "already taken"],
    ["two disks", vm({ scsi1: "local-lvm:vm-201-disk-1,size=8G" }), "2 disks"],
    ["a VirtIO block disk", vm({ scsi0: undefined, virtio0: "local-lvm:vm-201-disk-0,size=4G" }), "its disk is on virtio0"],
    ["an EFI disk", vm({ efidisk0: "local-lvm:vm-201-disk-1,size=4M" }), "an EFI disk"],
    ["PCI passthrough", vm({ hostpci0: "0000:01:00.0" }), "PCI passthrough"],
    ["an ISO in the CD-ROM", vm({ ide0: "local:iso/debian.iso,media=cdrom" }), "a CD-ROM with a medium"],
    ["an e1000 NIC", vm({ net0: "e1000=BC:24:11:00:00:01,bridge=vmbr0" }), "not a VirtIO NIC"],
    ["two NICs", vm({ net1: "virtio,bridge=vmbr1" }), "network devices net0, net1"],
    ["a size in MiB", vm({ scsi0: "local-lvm:vm-201-disk-0,size=512M" }), "not a whole number of GiB"],
    ["Windows", vm({ ostype: "win11" }), "Windows"],
    ["an upper-case tag", vm({ tags: "Prod" }), 'tag "Prod" is not lowercase'],
    ["a privileged container", ct({ unprivileged: 0 }), "privileged container"],
    ["a container with features", ct({ features: "nesting=1" }), "features (nesting=1)"],
    ["a container with a mount point", ct({ mp0: "local-lvm:vm-206-disk-1,mp=/data" }), "mount point (mp0)"],
    ["a DHCP container", ct({ net0: "name=eth0,bridge=vmbr0,ip=dhcp,firewall=1" }), "needs a static IPv4"],
    ["a container NIC without the firewall flag", ct({ net0: "name=eth0,bridge=vmbr0,ip=10.0.0.5/24" }), "firewall flag off"],
  ])("leaves out %s, saying why", (_what, guest, why) => {
    expect(reason(guest)).toContain(why);
  });

  it("leaves out a guest managed already, by state or by tag", () => {
    expect(reason(vm({}), { ...ctx, managedBy: { state: "prod" } })).toBe("already managed by environment prod (its Terraform state)");
    expect(reason(vm({}), { ...ctx, managedBy: { tag: "proxmox-cdk" } })).toBe("already managed (tag proxmox-cdk)");
  });

  it("notes each live inbound rule that `up` removes, and a cloud-init password", () => {
    const rules = [
      { pos: 0, type: "in", action: "ACCEPT", proto: "tcp", dport: "22", source: "10.0.0.0/8" },
      { pos: 1, type: "in", action: "DROP", macro: "SMB", enable: 0, comment: "no ${shares}" },
    ];
    const r = adoptableGuest(vm({ cipassword: "**********" }, { firewall: { options: {}, rules } }), ctx);
    expect("notes" in r && r.notes).toEqual([
      expect.stringContaining("removes its live firewall rule #0 IN ACCEPT -source 10.0.0.0/8 -p tcp -dport 22;"),
      expect.stringContaining('removes its live firewall rule #1 IN DROP -macro SMB (disabled) # "no ${shares}";'),
      expect.stringContaining(
        "password cloud-init already set inside the guest keeps working (SSH until Ansible hardens the guest, the console until you lock it)",
      ),
    ]);
  });

  it.each([
    ["an outbound DROP policy", { policy_out: "DROP" }, [], "outbound policy DROP"],
    ["an outbound REJECT policy", { policy_out: "REJECT" }, [], "outbound policy REJECT"],
    ["an OUT rule", {}, [{ pos: 0, type: "out", action: "DROP", dest: "0.0.0.0/0" }], "1 outbound or security-group rule(s) (#0 OUT DROP -dest 0.0.0.0/0)"],
    ["a security group", {}, [{ pos: 0, type: "group", action: "egress-lock" }], "1 outbound or security-group rule(s) (#0 GROUP egress-lock)"],
  ])("leaves out a guest with %s rather than opening its outbound traffic", (_what, options, rules, why) => {
    const r = reason(vm({}, { firewall: { options, rules } }));
    expect(r).toContain(why);
    expect(r).toContain("adopting would open its outbound traffic");
  });

  it("adopts a guest whose outbound policy is ACCEPT, as the adopted firewall keeps it", () => {
    expect(reason(vm({}, { firewall: { options: { policy_out: "ACCEPT", policy_in: "ACCEPT" }, rules: [] } }))).toBe("adoptable");
  });

  it("notes a live description and IPv6 settings the adopted guest does not keep", () => {
    const r = adoptableGuest(vm({ description: "DB of team X", ipconfig0: "ip=10.0.0.9/24,gw=10.0.0.1,ip6=fd00::9/64,gw6=fd00::1" }), ctx);
    expect("notes" in r && r.notes).toEqual([
      expect.stringContaining('its description (12 characters) is replaced by "Managed by proxmox-cdk"'),
      expect.stringContaining("its IPv6 settings (ip6=fd00::9/64, gw6=fd00::1 in ipconfig0) are dropped"),
    ]);
    const c = adoptableGuest(ct({ net0: "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto,firewall=1" }), ctx);
    expect("notes" in c && c.notes).toEqual([expect.stringContaining("its IPv6 settings (ip6=auto on net0) are dropped")]);
  });

  it("adopts a guest in a pool whose id PVE accepts (dots, nested with /)", () => {
    for (const pool of ["team.a", "prod/web.v2"]) expect(adoptableGuest(vm({}, { pool }), ctx)).toMatchObject({ entry: { pool } });
  });

  it("leaves out, with the reason, a guest whose entry would not load instead of failing the batch", () => {
    expect(reason(vm({ ipconfig0: "gw=10.0.0.1" }))).toContain("adopted.legacy-201.gateway needs a static ipv4");
    expect(reason(vm({}, { pool: "a/b/c/d" }))).toContain("adopted.legacy-201.pool must be a pool id");
  });
});
