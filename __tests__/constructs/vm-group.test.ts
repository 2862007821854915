import { Testing } from "cdktf";
import { VirtualEnvironmentFirewallAlias } from "../../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { VirtualEnvironmentFirewallIpset } from "../../.gen/providers/proxmox/virtual-environment-firewall-ipset";
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

/** A db VM that lets postgres in from `g`. */
function dbAllowing(stack: ReturnType<typeof newStack>["stack"], g: VmGroup): HardenedVm {
  const db = new HardenedVm(stack, "db", {
    node: "pve1",
    name: "db-1",
    imageFileId: "local:import/d.qcow2",
    user: { sshKeys: [SSH_KEY] },
    ipv4: { address: "10.30.0.50/24" },
  });
  db.connections.allowFrom(g, Port.POSTGRES);
  return db;
}

/** The db VM's rendered rules. */
function dbRules(stack: ReturnType<typeof newStack>["stack"]): Record<string, string>[] {
  const rules = synthJson(stack).resource.proxmox_virtual_environment_firewall_rules;
  return (Object.entries(rules).find(([k]) => k.startsWith("db_"))![1] as { rule: Record<string, string>[] }).rule;
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
    expect(list.map((v) => v.initialization.ip_config[0].ipv4.address)).toEqual([
      "10.30.0.10/24",
      "10.30.0.11/24",
      "10.30.0.12/24",
      "10.30.0.13/24",
      "10.30.0.14/24",
    ]);
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
    const db = new HardenedVm(stack, "db", {
      node: "pve1",
      name: "db-1",
      imageFileId: "local:import/d.qcow2",
      user: { sshKeys: [SSH_KEY] },
      ipv4: { address: "10.30.0.50/24" },
    });
    db.connections.allowFrom(g, Port.POSTGRES);
    g.connections.allowFromAnyIpv4(Port.HTTPS);
    const rules = synthJson(stack).resource.proxmox_virtual_environment_firewall_rules;
    const dbRules = Object.entries(rules).find(([k]) => k.startsWith("db_"))![1] as { rule: Record<string, unknown>[] };
    expect(dbRules.rule[0]).toMatchObject({
      source: expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.k3s_ipset-[0-9a-f]{8}_ipset_[0-9A-F]+\.name\}$/),
      dport: "5432",
    });
    const memberRules = Object.entries(rules).filter(([k]) => k.startsWith("k3s_"));
    expect(memberRules).toHaveLength(2);
    const ipset = Object.values(synthJson(stack).resource.proxmox_virtual_environment_firewall_ipset)[0] as { cidr: { name: string }[] };
    expect(ipset.cidr.map((c) => c.name)).toEqual(["10.30.0.10", "10.30.0.11"]);
  });

  it("names the members' IP set after its membership: another member is another set, the same members the same set", () => {
    const setOf = (count: number) =>
      Object.entries(synthJson(group({ count }).stack).resource.proxmox_virtual_environment_firewall_ipset) as Array<[string, { name: string }]>;
    const [[id3, three]] = setOf(3);
    const [[id4, four]] = setOf(4);
    expect(three.name).toMatch(/^k3s-[0-9a-f]{8}$/);
    expect(four.name).not.toBe(three.name);
    expect(id4).not.toBe(id3);
    expect(setOf(3)[0]).toEqual([id3, three]);
  });

  it("gives each DHCP member an alias of its agent-reported address, and no IP set", () => {
    // GIVEN a DHCP group of two
    const { stack } = group({ count: 2, ipv4Pool: undefined });
    // WHEN it is synthesised
    const synthed = Testing.synth(stack);
    const json = synthJson(stack).resource;
    // THEN each member has an alias named after it, standing for its VM's address
    expect(synthed).toHaveResourceWithProperties(VirtualEnvironmentFirewallAlias, {
      name: "k3s-1",
      cidr: expect.stringMatching(/proxmox_virtual_environment_vm\.k3s_k3s-1_vm_[0-9A-F]+\.ipv4_addresses/),
    });
    expect(synthed).toHaveResourceWithProperties(VirtualEnvironmentFirewallAlias, {
      name: "k3s-2",
      cidr: expect.stringMatching(/proxmox_virtual_environment_vm\.k3s_k3s-2_vm_[0-9A-F]+\.ipv4_addresses/),
    });
    // AND there is no set whose entries would change (and be replaced) with the membership
    expect(synthed).not.toHaveResource(VirtualEnvironmentFirewallIpset);
    expect(json.proxmox_virtual_environment_firewall_ipset).toBeUndefined();
  });

  it("writes a peer's rule once per DHCP member, naming the member's alias", () => {
    // GIVEN a DHCP group of three and a db VM that lets postgres in from it
    const { stack, g } = group({ count: 3, ipv4Pool: undefined });
    dbAllowing(stack, g);
    // WHEN it is synthesised
    const sources = dbRules(stack)
      .filter((r) => r.dport === "5432")
      .map((r) => r.source);
    // THEN db has one postgres rule per member, each naming that member's alias
    expect(sources).toEqual(
      [1, 2, 3].map((i) =>
        expect.stringMatching(new RegExp(`^\\$\\{proxmox_virtual_environment_firewall_alias\\.k3s_k3s-${i}-address_alias_[0-9A-F]+\\.name\\}$`)),
      ),
    );
  });

  it("appends the rule of an 11th DHCP member at the end of a peer's list: the first ten keep their places", () => {
    // GIVEN a db VM that lets postgres in from a DHCP tier of ten, then from the same tier grown to eleven
    const sourcesWith = (count: number) => {
      const { stack, g } = group({ count, ipv4Pool: undefined });
      dbAllowing(stack, g);
      return dbRules(stack)
        .filter((r) => r.dport === "5432")
        .map((r) => r.source);
    };
    const ten = sourcesWith(10);
    const eleven = sourcesWith(11);
    // THEN the rules are in member order (k3s-2 before k3s-10), and member 11's rule is the last one
    const member = (source: string) => Number(/k3s_k3s-(\d+)-address/.exec(source)?.[1]);
    expect(ten.map(member)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(eleven.slice(0, 10)).toEqual(ten);
    expect(member(eleven[10])).toBe(11);
  });

  it("mirrors egress of a restricted DHCP group to every member of the DHCP group it reaches", () => {
    // GIVEN two DHCP groups, the first restricting egress, the second letting postgres in from it
    const { stack, g: app } = group({ count: 2, ipv4Pool: undefined, firewall: { outboundPolicy: "DROP" } });
    const db = new VmGroup(stack, "pg", {
      count: 2,
      namePrefix: "pg",
      nodes: ["pve1"],
      imageFileId: "local:import/d.qcow2",
      user: { sshKeys: [SSH_KEY] },
      firstVmId: 400,
    });
    db.connections.allowFrom(app, Port.POSTGRES);
    // WHEN it is synthesised
    const rules = synthJson(stack).resource.proxmox_virtual_environment_firewall_rules as Record<string, { rule: Record<string, string>[] }>;
    const appRules = Object.entries(rules).filter(([k]) => k.startsWith("k3s_"));
    // THEN every app member may reach every db member's alias on 5432, one rule each
    expect(appRules).toHaveLength(2);
    for (const [, r] of appRules) {
      expect(r.rule.filter((x) => x.type === "out").map((x) => x.dest)).toEqual(
        [1, 2].map((i) => expect.stringMatching(new RegExp(`firewall_alias\\.pg_pg-${i}-address_alias_`))),
      );
    }
  });

  it("grows a DHCP group by adding only: members keep their aliases, peers gain a rule", () => {
    // GIVEN the same DHCP group and db VM, synthesised with 3 and then 4 members
    const synthOf = (count: number) => {
      const { stack, g } = group({ count, ipv4Pool: undefined });
      dbAllowing(stack, g);
      return { aliases: synthJson(stack).resource.proxmox_virtual_environment_firewall_alias, rules: dbRules(stack) };
    };
    const three = synthOf(3);
    const four = synthOf(4);
    // THEN the three members' aliases are unchanged (same logical ids, same configuration)
    for (const [id, alias] of Object.entries(three.aliases)) expect(four.aliases[id]).toEqual(alias);
    expect(Object.keys(four.aliases)).toHaveLength(4);
    // AND db keeps its three rules and gains the fourth member's
    expect(four.rules.filter((r) => r.dport === "5432")).toEqual(expect.arrayContaining(three.rules.filter((r) => r.dport === "5432")));
    expect(four.rules.filter((r) => r.dport === "5432")).toHaveLength(4);
  });

  it.each<[string, Partial<VmGroupProps>]>([
    ["static", {}],
    ["DHCP", { ipv4Pool: undefined }],
  ])("%s group: every IP set a rule names has literal entries and create_before_destroy, and none reaches a VM", (_kind, extra) => {
    // GIVEN a group whose addresses a db VM's rule names
    const { stack, g } = group({ count: 3, ...extra });
    dbAllowing(stack, g);
    // WHEN it is synthesised
    const json = synthJson(stack).resource;
    const ruleText = JSON.stringify(json.proxmox_virtual_environment_firewall_rules);
    const sets = Object.entries(json.proxmox_virtual_environment_firewall_ipset ?? {});
    expect(sets).toHaveLength("ipv4Pool" in extra ? 0 : 1);
    // THEN a set some rule names is versioned: its entries are literal, so it depends on no VM
    for (const [id, set] of sets) {
      if (!ruleText.includes(`proxmox_virtual_environment_firewall_ipset.${id}.`)) continue;
      expect(JSON.stringify(set.cidr)).not.toContain("${");
      expect(set.lifecycle).toEqual({ create_before_destroy: true });
    }
    // AND no resource that refers to a VM or an alias is created before its predecessor is destroyed
    for (const [type, byId] of Object.entries(json)) {
      for (const [id, r] of Object.entries(byId)) {
        const cbd = (r.lifecycle as { create_before_destroy?: boolean } | undefined)?.create_before_destroy === true;
        if (cbd)
          expect({ resource: `${type}.${id}`, refs: /proxmox_virtual_environment_(vm|firewall_alias)\./.test(JSON.stringify(r)) }).toEqual({
            resource: `${type}.${id}`,
            refs: false,
          });
        if (type === "proxmox_virtual_environment_vm") expect({ vm: id, cbd }).toEqual({ vm: id, cbd: false });
      }
    }
  });

  it.each<[string, Partial<VmGroupProps>, RegExp]>([
    ["a typo of 100,000 VMs", { count: 100000 }, /count must be an integer between 1 and 500, got 100000/],
    ["a pool too small for the group", { count: 3, ipv4Pool: { cidr: "10.0.0.0/30", firstHost: 1 } }, /has no room for 3 hosts/],
    ["no nodes", { nodes: [] }, /nodes is empty/],
    [
      "a first id whose members run past the last VM id",
      { firstVmId: 999_999_997 },
      /VmGroup "k3s": firstVmId must be an integer between 100 and 999999995, got 999999997 — its 5 members take consecutive ids/,
    ],
    ["a first id below 100", { firstVmId: 99 }, /firstVmId must be an integer between 100/],
  ])("rejects %s", (_w, extra, msg) => {
    expect(() => group(extra)).toThrow(msg);
  });
});
