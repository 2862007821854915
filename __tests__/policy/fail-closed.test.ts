import { App, Aspects, Fn, Lazy, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import * as path from "path";
import { VirtualEnvironmentClusterFirewall } from "../../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { VirtualEnvironmentFirewallOptions } from "../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { VirtualEnvironmentFirewallRules } from "../../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { VirtualEnvironmentFirewallAlias } from "../../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { VirtualEnvironmentFirewallIpset } from "../../.gen/providers/proxmox/virtual-environment-firewall-ipset";
import { ClusterFirewall } from "../../constructs/cluster-firewall";
import { Port } from "../../constructs/port";
import { checkPolicy } from "../../policy/check-policy";
import { presetsIn } from "../../policy/firewall-exposure";
import { PolicyPack } from "../../policy/pack";
import { PVE_MACROS } from "../../policy/pve-macros";
import { PolicyRule } from "../../policy/rule";
import { ALL_RULES } from "../../policy/rules";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import { PORT_PRESETS, PortPresetName, presetsOpenedBy } from "../../envspec/port";
import { FirewallAlias } from "../../constructs/firewall-alias";
import { VmGroup } from "../../constructs/vm-group";
import { BackupJob } from "../../constructs/backup-job";
import { SSH_KEY, findingsOf, hardenedVm, newStack, rawVm, stackWith, templateOf } from "./policy-fixtures";

/** The rule that watches a preset: SSH has its own, other admin presets share one, databases another. */
function ruleFor(name: PortPresetName): string {
  if (name === "ssh") return "PVE-FW-006";
  return PORT_PRESETS[name].category === "admin" ? "PVE-FW-007" : "PVE-FW-008";
}

/** Matches a finding message that names preset `name` among the presets it opens. */
function namesPreset(name: string): RegExp {
  return new RegExp(`to every address \\[presets? ([\\w-]+, )*${name}(, [\\w-]+)*\\]\\.$`);
}

/** A PVE rule list accepting `rule` on a VM. */
function ruleList(stack: TerraformStack, rule: Record<string, unknown>): VirtualEnvironmentFirewallRules {
  return new VirtualEnvironmentFirewallRules(stack, "rules", { nodeName: "pve1", vmId: 500, rule: [{ type: "in", action: "ACCEPT", ...rule }] });
}

const WATCHED = [...presetsIn("admin"), ...presetsIn("database")];

describe("exposure of the preset table's admin and database classes", () => {
  it("watches every admin and database preset of the table, including the Kubernetes, etcd and cache ports", () => {
    expect(WATCHED).toEqual(
      expect.arrayContaining(["ssh", "rdp", "k8s-api", "kubelet", "etcd", "elasticsearch", "memcached", "redis", "mongodb", "mssql", "postgres"]),
    );
  });

  describe.each(WATCHED.flatMap((name) => PORT_PRESETS[name].ranges.map((r) => [name, r] as const)))("%s", (name, range) => {
    const dport = range.from === range.to ? `${range.from}` : `${range.from}:${range.to}`;

    it(`is a finding when ${range.protocol}/${dport} is open to 0.0.0.0/0`, () => {
      // GIVEN a rule opening exactly the preset's range to everyone WHEN the policy runs THEN its rule reports it, naming the preset
      const stack = stackWith((s) => ruleList(s, { proto: range.protocol, dport, source: "0.0.0.0/0" }));
      const found = findingsOf(stack, ruleFor(name));
      expect(found).toEqual([expect.objectContaining({ severity: "error", message: expect.stringMatching(namesPreset(name)) })]);
    });

    it("is a finding when one port of it is in a comma list open to ::/0", () => {
      const stack = stackWith((s) => ruleList(s, { proto: range.protocol, dport: `1,${range.to},65000`, source: "::/0" }));
      expect(findingsOf(stack, ruleFor(name)).map((f) => f.message)).toEqual([expect.stringMatching(namesPreset(name))]);
    });

    it("is no finding when only a management network may connect", () => {
      const stack = stackWith((s) => ruleList(s, { proto: range.protocol, dport, source: "10.99.0.0/24" }));
      expect(findingsOf(stack, ruleFor(name))).toEqual([]);
    });
  });

  it("is a finding when a HardenedVm opens a preset to any IPv4 address through its connections", () => {
    const stack = stackWith((s) => {
      const vm = hardenedVm(s, "k8s", { ipv4: { address: "10.20.0.11/24" } });
      vm.connections.allowFromAnyIpv4(Port.K8S_API);
      vm.connections.allowFromAnyIpv4(Port.tcpRange(2379, 2380));
    });
    expect(findingsOf(stack, "PVE-FW-007").map((f) => f.message)).toEqual([
      expect.stringMatching(/opens remote administration \(tcp\/6443\) to every address \[preset k8s-api\]\.$/),
    ]);
    expect(findingsOf(stack, "PVE-FW-008").map((f) => f.message)).toEqual([
      expect.stringMatching(/opens a database port \(tcp\/2379-2380\) to every address \[preset etcd\]\.$/),
    ]);
  });

  // Every PVE macro (pve-firewall's table) that opens a watched preset is an exposure too.
  const macroCases = Object.entries(PVE_MACROS).flatMap(([macro, entries]) => {
    const opened = entries.flatMap((e) => {
      const [proto, dport] = e.split("/");
      if (!["tcp", "udp"].includes(proto) || !dport) return [];
      return dport.split(",").flatMap((item) => presetsOpenedBy(`${proto}/${item.replace(":", "-")}`));
    });
    return [...new Set(opened)].filter((p) => WATCHED.includes(p)).map((p) => [macro, p] as const);
  });

  it("knows the macros that open SSH, RDP and databases", () => {
    expect(macroCases).toEqual(
      expect.arrayContaining([
        ["SSH", "ssh"],
        ["RDP", "rdp"],
        ["PostgreSQL", "postgres"],
        ["MySQL", "mysql"],
        ["MSSQL", "mssql"],
      ]),
    );
  });

  it.each(macroCases)("is a finding when macro %s (opening %s) accepts everyone", (macro, preset) => {
    const stack = stackWith((s) => ruleList(s, { macro: macro.toLowerCase() }));
    expect(findingsOf(stack, ruleFor(preset)).map((f) => f.message)).toEqual([expect.stringMatching(namesPreset(preset))]);
  });

  it("is no finding for the Ping and HTTPS macros", () => {
    const stack = stackWith((s) => {
      ruleList(s, { macro: "Ping" });
      new VirtualEnvironmentFirewallRules(s, "web", { nodeName: "pve1", vmId: 501, rule: [{ type: "in", action: "ACCEPT", macro: "HTTPS" }] });
    });
    expect(checkPolicy(stack).filter((f) => /^PVE-FW-00[678]$/.test(f.ruleId))).toEqual([]);
  });
});

describe("values the policy cannot evaluate", () => {
  it("are an error finding naming the attribute when a security-relevant attribute is known only at apply", () => {
    // GIVEN a VM whose firewall switch and an SSH rule's source come from variables
    const stack = stackWith((s) => {
      const flag = new TerraformVariable(s, "fw_enabled", { type: "bool" });
      const cidr = new TerraformVariable(s, "admin_cidr", { type: "string" });
      const vm = rawVm(s, "raw", { vmId: 300 });
      new VirtualEnvironmentFirewallOptions(s, "opts", { nodeName: "pve1", vmId: vm.vmId, enabled: flag.booleanValue });
      ruleList(s, { proto: "tcp", dport: "22", source: cidr.stringValue });
    });
    // WHEN the policy runs THEN each is a "could not evaluate" error of the rule that needed it
    const found = checkPolicy(stack).filter((f) => f.couldNotEvaluate);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ruleId: "PVE-FW-001",
          severity: "error",
          couldNotEvaluate: "enabled",
          message: expect.stringMatching(
            /^could not evaluate enabled of proxmox_virtual_environment_firewall_options\.opts: it is "\$\{var\.fw_enabled\}", known only at apply/,
          ),
        }),
        expect.objectContaining({ ruleId: "PVE-FW-006", severity: "error", couldNotEvaluate: "rule[0].source", path: "policy/rules" }),
      ]),
    );
  });

  it("keep the rule's own severity for an attribute that is not security-relevant", () => {
    const stack = stackWith((s) => {
      const wait = new TerraformVariable(s, "agent_wait", { type: "string" });
      rawVm(s, "raw", { vmId: 301, agent: { enabled: true, timeout: wait.stringValue } });
    });
    expect(findingsOf(stack, "PVE-AG-002")).toEqual([expect.objectContaining({ severity: "warning", couldNotEvaluate: "agent.timeout" })]);
  });

  it("make unknown tags an error for the rules that depend on the stage, since they could say prod", () => {
    const stack = stackWith((s) => rawVm(s, "raw", { vmId: 302, tags: Token.asList(Fn.split(",", "prod,web")), protection: false }));
    expect(findingsOf(stack, "PVE-OPS-001")).toEqual([expect.objectContaining({ severity: "error", couldNotEvaluate: "tags" })]);
  });

  it("include an IP set or security group the stack does not define", () => {
    const stack = stackWith(
      (s) =>
        new VirtualEnvironmentFirewallRules(s, "rules", {
          nodeName: "pve1",
          vmId: 503,
          rule: [{ type: "in", action: "ACCEPT", macro: "SSH", source: "+dc/somewhere" }, { securityGroup: "elsewhere" }],
        }),
    );
    expect(findingsOf(stack, "PVE-FW-006").map((f) => [f.severity, f.couldNotEvaluate, f.message])).toEqual([
      ["error", "rule[0].source", expect.stringContaining('the IP set "somewhere" is not defined in this stack')],
      ["error", "rule[1].security_group", expect.stringContaining('the security group "elsewhere" is not defined in this stack')],
    ]);
  });

  it("include the Secure Boot and TPM settings a Windows VM inherits from a VM outside the stack", () => {
    const stack = stackWith((s) => rawVm(s, "win", { vmId: 320, operatingSystem: { type: "win11" }, clone: { vmId: 4242 } }));
    expect([...findingsOf(stack, "PVE-HW-001"), ...findingsOf(stack, "PVE-HW-002")].map((f) => [f.ruleId, f.severity, f.couldNotEvaluate])).toEqual([
      ["PVE-HW-001", "error", "efi_disk"],
      ["PVE-HW-002", "error", "tpm_state"],
    ]);
  });

  it("count a VM whose template flag is unknown as running, so the runtime rules judge it", () => {
    const stack = stackWith((s) => {
      const flag = new TerraformVariable(s, "is_template", { type: "bool" });
      rawVm(s, "maybe", { vmId: 321, template: flag.booleanValue, networkDevice: [{ bridge: "vmbr0", firewall: false }] });
    });
    expect(findingsOf(stack, "PVE-FW-002")).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("has firewall = false") })]);
  });

  it("do not hide the other subjects' violations of the same rule", () => {
    const stack = stackWith((s) => {
      const flag = new TerraformVariable(s, "fw_enabled", { type: "bool" });
      rawVm(s, "a", { vmId: 310 });
      new VirtualEnvironmentFirewallOptions(s, "opts-a", { nodeName: "pve1", vmId: 310, enabled: flag.booleanValue });
      rawVm(s, "b", { vmId: 311 });
      new VirtualEnvironmentFirewallOptions(s, "opts-b", { nodeName: "pve1", vmId: 311, enabled: false });
    });
    expect(findingsOf(stack, "PVE-FW-001").map((f) => [f.path, f.couldNotEvaluate ?? "decided"])).toEqual([
      ["policy/opts-a", "enabled"],
      ["policy/opts-b", "decided"],
    ]);
  });

  it("are not reported for references the stack itself decides: IP sets by name, VM addresses, VM ids", () => {
    // GIVEN an SSH rule whose source is an IP set of the stack (by reference) holding a VM's address
    const stack = stackWith((s) => {
      new ClusterFirewall(s, "fw");
      const bastion = hardenedVm(s, "bastion");
      const web = hardenedVm(s, "web");
      web.connections.allowFrom(bastion, Port.SSH);
    });
    // THEN nothing is "could not evaluate"
    expect(checkPolicy(stack).filter((f) => f.couldNotEvaluate)).toEqual([]);
  });

  it("are not reported for a DHCP VmGroup member's alias: it stands for one VM's address", () => {
    // GIVEN SSH opened to a web VM from a DHCP group, whose rules name each member's alias
    const stack = stackWith((s) => {
      new ClusterFirewall(s, "fw");
      const bastions = new VmGroup(s, "bastion", {
        count: 2,
        namePrefix: "bastion",
        nodes: ["pve1"],
        firstVmId: 600,
        template: templateOf(s),
        user: { sshKeys: [SSH_KEY] },
      });
      hardenedVm(s, "web").connections.allowFrom(bastions, Port.SSH);
    });
    // THEN nothing is "could not evaluate" and SSH is not open to everyone
    expect(checkPolicy(stack).filter((f) => f.couldNotEvaluate)).toEqual([]);
    expect(findingsOf(stack, "PVE-FW-006")).toEqual([]);
  });

  it("include an alias whose address is an interpolation other than a VM's address", () => {
    // GIVEN SSH opened from an alias whose address is a variable (it could be 0.0.0.0/0)
    const stack = stackWith((s) => {
      const cidr = new TerraformVariable(s, "admins_cidr", { type: "string" });
      const admins = new FirewallAlias(s, "admins", { name: "admins", cidr: cidr.stringValue });
      hardenedVm(s, "web").connections.allowFrom(admins.peer, Port.SSH);
    });
    // THEN the rule is an error finding that could not be evaluated, never a pass
    expect(findingsOf(stack, "PVE-FW-006")).toEqual([expect.objectContaining({ severity: "error", couldNotEvaluate: "cidr" })]);
  });

  it("include a prod backup job onto a storage no resource of the stack defines (PVE-OPS-009)", () => {
    // GIVEN a prod job writing to storage "pbs", which the stack does not define
    const stack = stackWith((s) => new BackupJob(s, "nightly", { jobId: "nightly", storage: "pbs", vmIds: [101] }));
    // WHEN the policy runs THEN the job could not be evaluated (never a pass), and the message says what to declare
    expect(findingsOf(stack, "PVE-OPS-009", { stage: "prod" })).toEqual([
      expect.objectContaining({ severity: "error", couldNotEvaluate: "storage", message: expect.stringContaining("declare backups.pbs") }),
    ]);
  });

  it("include a prod backup job whose storage is a reference the stack cannot resolve (PVE-OPS-009)", () => {
    // GIVEN a prod job whose storage is a variable
    const stack = stackWith((s) => {
      const storage = new TerraformVariable(s, "backup_storage", { type: "string" });
      new BackupJob(s, "nightly", { jobId: "nightly", storage: storage.stringValue, vmIds: [101] });
    });
    // THEN it could not be evaluated
    expect(findingsOf(stack, "PVE-OPS-009", { stage: "prod" })).toEqual([expect.objectContaining({ severity: "error", couldNotEvaluate: "storage" })]);
  });

  it("report a configuration that fails to resolve (PVE-POL-001) and what each rule could not judge in it", () => {
    const stack = stackWith((s) =>
      rawVm(s, "broken", {
        description: Lazy.stringValue({
          produce: () => {
            throw new Error("the inventory lookup failed");
          },
        }),
      }),
    );
    const found = checkPolicy(stack);
    expect(found.filter((f) => f.ruleId === "PVE-POL-001")).toEqual([
      expect.objectContaining({ severity: "error", path: "policy/broken", message: expect.stringContaining("the inventory lookup failed") }),
    ]);
    expect(found.filter((f) => f.ruleId === "PVE-FW-002" && f.couldNotEvaluate)).toHaveLength(1);
  });
});

describe("a VM address reference as one host", () => {
  /** The reference HardenedVm.ipv4Address renders: the only text that counts as one VM's address. */
  const REF = "${element(element(proxmox_virtual_environment_vm.web_vm_1234ABCD.ipv4_addresses, 1), 0)}";
  const HOSTILE: readonly (readonly [string, string])[] = [
    ["a /0 network around it", `${REF}/0`],
    ["a range from it", `${REF}-255.255.255.255`],
    ["text before it", `0.0.0.0/0 ${REF}`],
    ["two references in one value", `${REF}${REF}`],
    ["a reference to another resource type", "${element(element(proxmox_virtual_environment_container.ct.ipv4_addresses, 1), 0)}"],
    ["a reference to another attribute", "${element(element(proxmox_virtual_environment_vm.web.mac_addresses, 1), 0)}"],
  ];

  it("is one host when an alias, an IP set entry or a source entry is exactly the reference", () => {
    // GIVEN SSH opened from the exact reference: directly, in a list, through an alias and through an IP set
    const stack = stackWith((s) => {
      new VirtualEnvironmentFirewallAlias(s, "alias", { name: "web1", cidr: REF });
      new VirtualEnvironmentFirewallIpset(s, "ipset", { name: "webs", cidr: [{ name: REF }] });
      new VirtualEnvironmentFirewallRules(s, "rules", {
        nodeName: "pve1",
        vmId: 500,
        rule: ["web1", "+webs", REF, `192.0.2.7, ${REF}`].map((source) => ({ type: "in", action: "ACCEPT", proto: "tcp", dport: "22", source })),
      });
    });
    // THEN SSH is open to single hosts only: no finding, nothing unevaluated
    expect(findingsOf(stack, "PVE-FW-006")).toEqual([]);
  });

  it.each(HOSTILE)("cannot be evaluated in an alias with %s", (_name, cidr) => {
    const stack = stackWith((s) => {
      new VirtualEnvironmentFirewallAlias(s, "alias", { name: "web1", cidr });
      ruleList(s, { proto: "tcp", dport: "22", source: "web1" });
    });
    expect(findingsOf(stack, "PVE-FW-006")).toEqual([expect.objectContaining({ severity: "error", couldNotEvaluate: "cidr" })]);
  });

  it.each(HOSTILE)("cannot be evaluated in an IP set entry with %s", (_name, name) => {
    const stack = stackWith((s) => {
      new VirtualEnvironmentFirewallIpset(s, "ipset", { name: "webs", cidr: [{ name }] });
      ruleList(s, { proto: "tcp", dport: "22", source: "+webs" });
    });
    expect(findingsOf(stack, "PVE-FW-006")).toEqual([
      expect.objectContaining({ severity: "error", couldNotEvaluate: expect.stringMatching(/^cidr\[0\]\.name$/) }),
    ]);
  });

  it.each(HOSTILE.filter(([name]) => name !== "text before it"))("cannot be evaluated in a rule source with %s", (_name, source) => {
    const stack = stackWith((s) => ruleList(s, { proto: "tcp", dport: "22", source }));
    expect(findingsOf(stack, "PVE-FW-006")).toEqual([expect.objectContaining({ severity: "error", couldNotEvaluate: expect.stringMatching(/source$/) })]);
  });

  it("does not hide every address listed next to the reference", () => {
    // GIVEN a source list holding 0.0.0.0/0 beside a VM address
    const stack = stackWith((s) => ruleList(s, { proto: "tcp", dport: "22", source: `${REF},0.0.0.0/0` }));
    // THEN SSH is open to everyone, decided
    expect(findingsOf(stack, "PVE-FW-006").map((f) => [f.severity, f.couldNotEvaluate ?? "decided"])).toEqual([["error", "decided"]]);
  });

  it.each(["10.0.0.0/0", "192.0.2.1/0", "::1/0"])("takes %s (prefix length 0) for every address", (source) => {
    const stack = stackWith((s) => ruleList(s, { proto: "tcp", dport: "22", source }));
    expect(findingsOf(stack, "PVE-FW-006").map((f) => [f.severity, f.couldNotEvaluate ?? "decided"])).toEqual([["error", "decided"]]);
  });
});

describe("a rule that throws", () => {
  const broken: PolicyRule = {
    id: "PVE-TST-001",
    severity: "error",
    description: "A rule that fails.",
    remediation: "Fix the rule.",
    mappings: [],
    check: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'rule')");
    },
  };

  it("is a finding on the stack, with the rule's severity and the error's text", () => {
    const stack = stackWith((s) => hardenedVm(s, "web"));
    expect(checkPolicy(stack, { rules: [broken, ...ALL_RULES] }).filter((f) => f.ruleId === "PVE-TST-001")).toEqual([
      expect.objectContaining({ severity: "error", path: "policy", couldNotEvaluate: "rule", message: expect.stringContaining("reading 'rule'") }),
    ]);
  });

  it("fails the synth of a pack added to one construct of the stack", () => {
    const { stack } = newStack("scoped");
    const web = hardenedVm(stack, "web");
    Aspects.of(web).add(new PolicyPack({ rules: [broken] }));
    expect(() => Testing.fullSynth(stack)).toThrow(/\[scoped\/web\] PVE-TST-001: could not evaluate rule PVE-TST-001/);
  });
});

describe("a second synth of a changed stack", () => {
  it("is checked again: SSH opened to everyone after a clean synth fails the next synth", () => {
    // GIVEN a stack that synthesises cleanly with the pack
    const { app, stack } = newStack("again");
    new ClusterFirewall(stack, "fw");
    const web = hardenedVm(stack, "web", { ipv4: { address: "10.20.0.11/24" } });
    const [pack] = PolicyPack.addTo(stack);
    app.synth();
    expect(pack.lastResult?.findings.filter((f) => f.severity === "error")).toEqual([]);
    // WHEN SSH is opened to 0.0.0.0/0 and the app synthesises again
    web.connections.allowFromAnyIpv4(Port.SSH);
    // THEN the new finding fails it
    expect(() => app.synth()).toThrow(/PVE-FW-006: rule #\d+ \(in ACCEPT tcp\/22 from 0\.0\.0\.0\/0\)/);
    expect(pack.lastResult?.findings.map((f) => f.ruleId)).toContain("PVE-FW-006");
  });

  it("is checked again the other way: the cluster firewall switched back on no longer fails, and nothing is annotated twice", () => {
    const { app, stack } = newStack("fixed");
    new ClusterFirewall(stack, "fw", { enabled: false });
    hardenedVm(stack, "web");
    PolicyPack.addTo(stack);
    expect(() => app.synth()).toThrow(/PVE-FW-004/);
    const cluster = stack.node.findAll().find((c): c is VirtualEnvironmentClusterFirewall => c instanceof VirtualEnvironmentClusterFirewall)!;
    cluster.enabled = true;
    expect(() => app.synth()).not.toThrow();
    const errors = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/error"));
    expect(errors).toEqual([]);
  });
});

describe("a second synth of a changed environment stack (prepared for the policy)", () => {
  it("is checked again: a VM firewall switched off after a clean synth fails the next synth", () => {
    // GIVEN the dev environment, synthesised cleanly (its pack reads what the stack's preparation resolved)
    const app = new App({ outdir: Testing.app().outdir });
    const [stack] = addEnvironmentStacks(app, { dir: path.resolve(__dirname, "..", "..", "environments"), only: ["dev"] });
    expect(() => app.synth()).not.toThrow();
    // WHEN a VM's firewall is switched off and the app synthesises again
    const options = stack.node.findAll().find((c): c is VirtualEnvironmentFirewallOptions => c instanceof VirtualEnvironmentFirewallOptions)!;
    options.enabled = false;
    // THEN the second synth judges the changed configuration
    expect(() => app.synth()).toThrow(/PVE-FW-001: .*has enabled = false/);
  });
});

describe("the shipped environments", () => {
  it.each(["dev", "staging", "prod"])("%s has no error finding and nothing the policy could not evaluate", (name) => {
    const app = new App({ outdir: Testing.app().outdir });
    const [stack] = addEnvironmentStacks(app, { dir: path.resolve(__dirname, "..", "..", "environments"), only: [name] });
    const found = checkPolicy(stack, { stage: name as "dev" | "staging" | "prod", nodeCount: 3 });
    expect(found.filter((f) => f.severity === "error" || f.couldNotEvaluate)).toEqual([]);
  });
});
