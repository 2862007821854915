import { parseEnvironment, resolveDefaults } from "../../envspec";
import { specProblems } from "./spec-problems";

const FILE = "environments/brown.yaml";
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINVXZ9EBrHYs2x2Yr5+C4Opa488QwlkkJ2vPcb1jSBEw ops@x";
const base = (adopted: string, extra = "") => `name: brown
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0 } }
templates: {}
tiers: {}
cloudInit: { user: ops, sshKeys: ["${KEY}"] }
${extra}adopted:
${adopted}`;
const VM = `  legacy-201: { vmid: 201, node: pve1, cores: 1, memoryMiB: 512, disk: { interface: scsi0, storage: local-lvm, sizeGiB: 4 }, network: { bridge: vmbr0, vlan: 20 } }\n`;

const problems = (text: string): string => specProblems(text, FILE);

describe("the adopted: section of an environment spec", () => {
  it("resolves an adopted VM with its live values and the defaults", () => {
    const env = resolveDefaults(parseEnvironment(base(VM), FILE));
    expect(env.adopted?.["legacy-201"]).toEqual({
      name: "legacy-201",
      kind: "vm",
      vmid: 201,
      node: "pve1",
      cores: 1,
      memoryMiB: 512,
      swapMiB: 0,
      disk: { interface: "scsi0", storage: "local-lvm", sizeGiB: 4 },
      network: { bridge: "vmbr0", vlan: 20 },
      ipv4: "dhcp",
      tags: [],
    });
  });

  it("lets an environment with an adopted: section have no tier, but not one without", () => {
    expect(() => parseEnvironment(base("  {}\n".replace(/^ {2}/, "  ")).replace("adopted:\n  {}", "adopted: {}"), FILE)).not.toThrow();
    expect(problems(base(VM).replace(/adopted:[\s\S]*$/, ""))).toContain("tiers: must define at least one tier");
  });

  it.each([
    ["an id out of range", VM.replace("vmid: 201", "vmid: 99"), "adopted.legacy-201.vmid: must be between 100 and 999999999, got 99"],
    ["a name that is not a DNS label", VM.replace("legacy-201", '"Legacy_201"'), "adopted.Legacy_201: name must be a DNS label"],
    ["an unknown node", VM.replace("node: pve1", "node: pve9"), 'adopted.legacy-201.node: unknown node "pve9"'],
    ["a node name with a path", VM.replace("node: pve1", 'node: "../pve1"'), "adopted.legacy-201.node: must be a node name"],
    ["a disk that is not SCSI", VM.replace("interface: scsi0", "interface: virtio0"), "adopted.legacy-201.disk.interface: must be a SCSI disk such as scsi0"],
    ["a storage with Terraform syntax", VM.replace("storage: local-lvm", 'storage: "${var.x}"'), "adopted.legacy-201.disk.storage: must be a storage id"],
    ["an unknown field", VM.replace("cores: 1,", "cores: 1, clone: 9000,"), "adopted.legacy-201.clone: unknown key"],
    ["a gateway without an address", VM.replace("cores: 1,", "cores: 1, gateway: 10.0.0.1,"), "adopted.legacy-201.gateway: needs a static ipv4"],
    ["swap on a VM", VM.replace("cores: 1,", "cores: 1, swapMiB: 512,"), "adopted.legacy-201.swapMiB: swap is a container setting"],
    ["a tier that does not exist", VM.replace("cores: 1,", "cores: 1, tier: web,"), 'adopted.legacy-201.tier: unknown tier "web"'],
    [
      "an address that is not one",
      VM.replace("cores: 1,", "cores: 1, ipv4: '10.0.0.5; reboot',"),
      'adopted.legacy-201.ipv4: must be "dhcp" or an address with prefix',
    ],
    [
      "a container without a static address",
      VM.replace("vmid: 201,", "kind: container, vmid: 201,").replace("interface: scsi0, ", ""),
      "adopted.legacy-201.ipv4: a container needs a static address",
    ],
    ["the same id twice", VM + VM.replace("legacy-201:", "legacy-again:"), 'adopted.legacy-again.vmid: 201 is already the id of adopted guest "legacy-201"'],
  ])("refuses %s with file:line:col", (_what, adopted, message) => {
    expect(problems(base(adopted))).toMatch(new RegExp(`environments/brown\\.yaml:\\d+:\\d+ ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  const TIERS = `tiers:
  web: { count: 1, template: debian, kind: vm }
  ct: { count: 1, template: debian, kind: container, ipv4: 10.0.0.16/28 }
  win: { count: 1, template: debian, os: windows }
`;
  const withTiers = (adopted: string) => base(adopted).replace("tiers: {}\n", TIERS);
  const CT = VM.replace("vmid: 201,", "kind: container, vmid: 201, ipv4: 10.0.0.5/24,").replace("interface: scsi0, ", "");
  it.each([
    [
      "a VM in a container tier",
      VM.replace("cores: 1,", "cores: 1, tier: ct,"),
      'adopted.legacy-201.tier: tier "ct" is a container tier and this adopted guest is a vm',
    ],
    [
      "a container in a VM tier",
      CT.replace("cores: 1,", "cores: 1, tier: web,"),
      'adopted.legacy-201.tier: tier "web" is a vm tier and this adopted guest is a container',
    ],
    ["a VM in a Windows tier", VM.replace("cores: 1,", "cores: 1, tier: win,"), 'adopted.legacy-201.tier: tier "win" is a Windows tier'],
  ])("refuses %s with file:line:col (the inventory takes login and guest type from the tier)", (_what, adopted, message) => {
    expect(problems(withTiers(adopted))).toMatch(new RegExp(`environments/brown\\.yaml:\\d+:\\d+ ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  it("refuses an id outside vmIdRange", () => {
    expect(problems(base(VM, "vmIdRange: { start: 1000, end: 1999 }\n"))).toContain("adopted.legacy-201.vmid: must be inside vmIdRange 1000..1999, got 201");
  });
});
