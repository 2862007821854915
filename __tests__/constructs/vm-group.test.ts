import { HardenedVm } from "../../constructs/hardened-vm";
import { Port } from "../../constructs/port";
import { VmGroup, VmGroupProps } from "../../constructs/vm-group";
import { SSH_KEY, debianTemplate, newStack, synthJson } from "./fixtures";

function group(extra: Partial<VmGroupProps> = {}) {
  const { stack } = newStack();
  const template = debianTemplate(stack);
  const g = new VmGroup(stack, "k3s", {
    count: 5,
    namePrefix: "k3s",
    nodes: ["pve1", "pve2", "pve3"],
    template,
    user: { sshKeys: [SSH_KEY] },
    ipv4Pool: { cidr: "10.30.0.0/24", gateway: "10.30.0.1" },
    firstVmId: 300,
    ...extra,
  });
  return { stack, g, template };
}

function vms(stack: ReturnType<typeof newStack>["stack"]) {
  return Object.entries(synthJson(stack).resource.proxmox_virtual_environment_vm)
    .filter(([k]) => k.startsWith("k3s"))
    .map(([, v]) => v as Record<string, any>)
    .sort((a, b) => a.vm_id - b.vm_id);
}

describe("VmGroup", () => {
  it("spreads members round-robin across nodes with consecutive ids and addresses", () => {
    const list = vms(group().stack);
    expect(list.map((v) => v.node_name)).toEqual(["pve1", "pve2", "pve3", "pve1", "pve2"]);
    expect(list.map((v) => v.vm_id)).toEqual([300, 301, 302, 303, 304]);
    expect(list.map((v) => v.initialization.ip_config[0].ipv4.address)).toEqual(["10.30.0.10/24", "10.30.0.11/24", "10.30.0.12/24", "10.30.0.13/24", "10.30.0.14/24"]);
  });

  it("clones every member in parallel by default: no member waits for another", () => {
    const list = vms(group().stack);
    expect(list.map((v) => v.depends_on)).toEqual(Array(5).fill(undefined));
  });

  it("chains clones into as many lanes as cloneConcurrency asks for (opt-in for slow storage)", () => {
    const list = vms(group({ cloneConcurrency: 2 }).stack);
    expect(list.slice(0, 2).every((v) => v.depends_on === undefined)).toBe(true);
    expect(list[2].depends_on).toEqual([expect.stringMatching(/^proxmox_virtual_environment_vm\.k3s_k3s-1_vm_[0-9A-F]+$/)]);
  });

  it("is one firewall peer through its IP set, and rules on the group reach every member", () => {
    const { stack, g } = group({ count: 2 });
    const db = new HardenedVm(stack, "db", { node: "pve1", name: "db-1", imageFileId: "local:import/d.qcow2", user: { sshKeys: [SSH_KEY] }, ipv4: { address: "10.30.0.50/24" } });
    db.connections.allowFrom(g, Port.POSTGRES);
    g.connections.allowFromAnyIpv4(Port.HTTPS);
    const rules = synthJson(stack).resource.proxmox_virtual_environment_firewall_rules;
    const dbRules = Object.entries(rules).find(([k]) => k.startsWith("db_"))![1] as { rule: Record<string, unknown>[] };
    expect(dbRules.rule[0]).toMatchObject({ source: expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.k3s_ipset-[0-9a-f]{8}_ipset_[0-9A-F]+\.name\}$/), dport: "5432" });
    const memberRules = Object.entries(rules).filter(([k]) => k.startsWith("k3s_"));
    expect(memberRules).toHaveLength(2);
    const ipset = Object.values(synthJson(stack).resource.proxmox_virtual_environment_firewall_ipset)[0] as { cidr: { name: string }[] };
    expect(ipset.cidr.map((c) => c.name)).toEqual(["10.30.0.10", "10.30.0.11"]);
  });

  it("names the members' IP set after its membership: another member is another set, the same members the same set", () => {
    const setOf = (count: number) => Object.entries(synthJson(group({ count }).stack).resource.proxmox_virtual_environment_firewall_ipset) as Array<[string, { name: string }]>;
    const [[id3, three]] = setOf(3);
    const [[id4, four]] = setOf(4);
    expect(three.name).toMatch(/^k3s-[0-9a-f]{8}$/);
    expect(four.name).not.toBe(three.name);
    expect(id4).not.toBe(id3);
    expect(setOf(3)[0]).toEqual([id3, three]);
  });

  it("lists DHCP members through an alias each, so a changed address updates the alias in place", () => {
    const { stack } = group({ count: 2, ipv4Pool: undefined });
    const json = synthJson(stack).resource;
    const aliases = Object.values(json.proxmox_virtual_environment_firewall_alias) as Array<{ name: string; cidr: string }>;
    expect(aliases.map((a) => a.name).sort()).toEqual(["k3s-1", "k3s-2"]);
    expect(aliases.every((a) => /proxmox_virtual_environment_vm\.k3s_k3s-\d_vm_[0-9A-F]+\.ipv4_addresses/.test(a.cidr))).toBe(true);
    const [set] = Object.values(json.proxmox_virtual_environment_firewall_ipset) as Array<{ cidr: Array<{ name: string }> }>;
    expect(set.cidr.map((c) => c.name)).toEqual(aliases.map((_, i) => expect.stringMatching(new RegExp(`^\\$\\{proxmox_virtual_environment_firewall_alias\\.k3s_k3s-${i + 1}-address_alias_[0-9A-F]+\\.name\\}$`))));
  });

  it.each<[string, Partial<VmGroupProps>, RegExp]>([
    ["a typo of 100,000 VMs", { count: 100000 }, /count must be an integer between 1 and 500, got 100000/],
    ["a pool too small for the group", { count: 3, ipv4Pool: { cidr: "10.0.0.0/30", firstHost: 1 } }, /has no room for 3 hosts/],
    ["no nodes", { nodes: [] }, /nodes is empty/],
  ])("rejects %s", (_w, extra, msg) => {
    expect(() => group(extra)).toThrow(msg);
  });
});
