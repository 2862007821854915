import { TerraformVariable, Testing } from "cdktf";
import { VirtualEnvironmentFirewallOptions } from "../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { ContainerGroup } from "../../constructs/container-group";
import { HardenedContainer, HardenedContainerProps } from "../../constructs/hardened-container";
import { HardenedVm } from "../../constructs/hardened-vm";
import { Port } from "../../constructs/port";
import { SSH_KEY, debianContainerTemplate, debianTemplate, newStack, onlyResource, synthJson } from "./fixtures";

function ct(extra: Partial<HardenedContainerProps> = {}) {
  const { stack } = newStack();
  const template = debianContainerTemplate(stack);
  const c = new HardenedContainer(stack, "app", {
    node: "pve1",
    name: "app-1",
    template,
    user: { sshKeys: [SSH_KEY] },
    ipv4: { address: "10.0.0.21/24", gateway: "10.0.0.1" },
    ...extra,
  });
  return { stack, c };
}

function ctResource(stack: Parameters<typeof onlyResource>[0]): Record<string, any> {
  return onlyResource(stack, "proxmox_virtual_environment_container") as Record<string, any>;
}

describe("HardenedContainer defaults", () => {
  it("is unprivileged, started, started on boot and unprotected outside prod", () => {
    const r = ctResource(ct().stack);
    expect(r).toMatchObject({ unprivileged: true, started: true, start_on_boot: true, protection: false });
  });

  it("turns every feature off explicitly (nesting, keyctl, fuse) and allows no mount types", () => {
    expect(ctResource(ct().stack).features).toEqual({ nesting: false, keyctl: false, fuse: false });
  });

  it("gives root the SSH keys and no password", () => {
    const r = ctResource(ct().stack);
    expect(r.initialization.user_account).toEqual({ keys: [SSH_KEY] });
  });

  it("creates from the template's volume with its OS type, hostname = name, static address", () => {
    const r = ctResource(ct().stack);
    expect(r.operating_system).toEqual({ template_file_id: expect.stringMatching(/download_file\.debian-ct_vztmpl_[0-9A-F]+\.id\}$/), type: "debian" });
    expect(r.initialization.hostname).toBe("app-1");
    expect(r.initialization.ip_config).toEqual([{ ipv4: { address: "10.0.0.21/24", gateway: "10.0.0.1" } }]);
  });

  it("turns the firewall on for the container (DROP in, ACCEPT out, no DHCP) and on its NIC", () => {
    const { stack } = ct();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallOptions, {
      container_id: expect.stringMatching(/virtual_environment_container\.app_container_[0-9A-F]+\.vm_id/) as unknown,
      enabled: true,
      input_policy: "DROP",
      output_policy: "ACCEPT",
      macfilter: true,
      dhcp: false,
    });
    expect(onlyResource(stack, "proxmox_virtual_environment_firewall_options").vm_id).toBeUndefined();
    expect(ctResource(stack).network_interface).toEqual([{ name: "eth0", bridge: "vmbr0", firewall: true }]);
  });

  it("sizes 1 core, 512 MiB without swap and an 8 GiB root disk on local-lvm, and tags container and stage", () => {
    const r = ctResource(ct().stack);
    expect(r).toMatchObject({ cpu: { cores: 1 }, memory: { dedicated: 512, swap: 0 }, disk: { datastore_id: "local-lvm", size: 8 } });
    expect(r.tags).toEqual(["container", "dev", "proxmox-cdk"]);
  });

  it("turns protection on in prod", () => {
    expect(ctResource(ct({ stage: "prod" }).stack)).toMatchObject({ protection: true, tags: ["container", "prod", "proxmox-cdk"] });
  });
});

describe("HardenedContainer opt-outs", () => {
  it.each([
    ["privileged", { privileged: true }, { unprivileged: false }],
    ["nesting", { features: { nesting: true } }, { features: { nesting: true, keyctl: false, fuse: false } }],
    ["keyctl", { features: { keyctl: true } }, { features: { nesting: false, keyctl: true, fuse: false } }],
    ["fuse", { features: { fuse: true } }, { features: { nesting: false, keyctl: false, fuse: true } }],
    ["mount types", { features: { mountTypes: ["nfs", "cifs"] } }, { features: { nesting: false, keyctl: false, fuse: false, mount: ["nfs", "cifs"] } }],
    ["no start on boot", { onBoot: false }, { start_on_boot: false }],
    ["no protection in prod", { stage: "prod" as const, protection: false }, { protection: false }],
    [
      "the NIC firewall with the container firewall off",
      { firewall: { enabled: false } },
      { network_interface: [{ name: "eth0", bridge: "vmbr0", firewall: false }] },
    ],
  ])("renders %s only when asked", (_name, extra, expected) => {
    expect(ctResource(ct(extra as Partial<HardenedContainerProps>).stack)).toMatchObject(expected);
  });

  it("switches the container firewall off and its inbound policy only when asked", () => {
    expect(Testing.synth(ct({ firewall: { enabled: false, inboundPolicy: "ACCEPT" } }).stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallOptions, {
      enabled: false,
      input_policy: "ACCEPT",
    });
  });

  it("takes a root password only from a token with allowPasswordLogin", () => {
    const { stack } = newStack();
    const pw = new TerraformVariable(stack, "pw", { type: "string", sensitive: true });
    new HardenedContainer(stack, "app", {
      node: "pve1",
      name: "app-1",
      template: debianContainerTemplate(stack),
      user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: pw.stringValue },
      ipv4: { address: "10.0.0.21/24" },
    });
    expect(ctResource(stack).initialization.user_account.password).toBe("${var.pw}");
  });

  it("refuses a root password that mixes literal text with a token", () => {
    // GIVEN a sensitive variable WHEN the password is a literal prefix plus the variable's value
    const { stack } = newStack();
    const pw = new TerraformVariable(stack, "pw", { type: "string", sensitive: true });
    const build = (password: string) => () =>
      new HardenedContainer(stack, "app", {
        node: "pve1",
        name: "app-1",
        template: debianContainerTemplate(stack),
        user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password },
        ipv4: { address: "10.0.0.21/24" },
      });
    // THEN the construct refuses it, naming the prop and asking for one variable holding the whole secret
    expect(build("hunter" + pw.stringValue)).toThrow(
      /HardenedContainer "app": user\.password mixes literal text with a token .* pass exactly one sensitive TerraformVariable/,
    );
  });
});

describe("HardenedContainer refuses", () => {
  it.each([
    ["a literal password", { user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: "hunter2" } }, /password is a literal/],
    ["a password without allowPasswordLogin", { user: { sshKeys: [SSH_KEY], password: "${var.x}" } }, /allowPasswordLogin is not/],
    ["no SSH keys", { user: { sshKeys: [] } }, /sshKeys is empty — a hardened container needs/],
    ["a malformed key", { user: { sshKeys: ["not a key"] } }, /not an OpenSSH public key/],
    ["DHCP", { ipv4: "dhcp" as never }, /ipv4 "dhcp" is refused — give a static address/],
    ["an address without prefix", { ipv4: { address: "10.0.0.21" } }, /not an IPv4 CIDR/],
    ["keyctl on a privileged container", { privileged: true, features: { keyctl: true } }, /keyctl is for unprivileged containers only/],
    ["a mount type that is not one", { features: { mountTypes: ["nfs;ext4"] } }, /not a file system type/],
    ["an upper-case name", { name: "App" }, /not a valid DNS label/],
    ["32 MiB of memory", { memoryMiB: 32 }, /memoryMiB must be an integer between 64/],
  ])("%s", (_name, extra, message) => {
    expect(() => ct(extra as Partial<HardenedContainerProps>)).toThrow(message);
  });
});

describe("containers and VMs as firewall peers", () => {
  it("opens a VM's port to a container's address and a container group's IP set", () => {
    // GIVEN a VM, a container and a group of two containers
    const { stack } = newStack();
    const template = debianTemplate(stack);
    const ctTemplate = debianContainerTemplate(stack);
    const db = new HardenedVm(stack, "db", { node: "pve1", name: "db-1", template, user: { sshKeys: [SSH_KEY] }, ipv4: { address: "10.0.0.5/24" } });
    const one = new HardenedContainer(stack, "one", {
      node: "pve1",
      name: "one",
      template: ctTemplate,
      user: { sshKeys: [SSH_KEY] },
      ipv4: { address: "10.0.0.30/24" },
    });
    const group = new ContainerGroup(stack, "apps", {
      count: 2,
      namePrefix: "app",
      nodes: ["pve1", "pve2"],
      template: ctTemplate,
      user: { sshKeys: [SSH_KEY] },
      ipv4Pool: { cidr: "10.0.0.32/28", firstHost: 1, networkPrefixLength: 24 },
      firstVmId: 200,
    });
    // WHEN intents name them
    db.connections.allowFrom(one, Port.POSTGRES);
    db.connections.allowFrom(group, Port.POSTGRES);
    one.connections.allowFrom(db, Port.SSH);
    // THEN the VM's rules name the container's address and the group's set; the container's rule names the VM
    const json = synthJson(stack);
    const rules = Object.values(json.resource.proxmox_virtual_environment_firewall_rules) as Array<Record<string, any>>;
    const dbRules = rules.find((r) => String(r.vm_id).includes("db_vm"))!;
    expect(dbRules.rule.map((r: Record<string, unknown>) => r.source)).toEqual(
      expect.arrayContaining(["10.0.0.30", expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.apps_ipset-[0-9a-f]{8}_/)]),
    );
    const ctRules = rules.find((r) => String(r.container_id).includes("one_container"))!;
    expect(ctRules.rule[0]).toMatchObject({ source: "10.0.0.5", dport: "22" });
    // AND the group's members take consecutive ids and pool addresses across both nodes
    const cts = Object.values(json.resource.proxmox_virtual_environment_container) as Array<Record<string, any>>;
    expect(cts.filter((c) => c.vm_id !== undefined).map((c) => [c.vm_id, c.node_name, c.initialization.ip_config[0].ipv4.address])).toEqual([
      [200, "pve1", "10.0.0.33/24"],
      [201, "pve2", "10.0.0.34/24"],
    ]);
  });
});
