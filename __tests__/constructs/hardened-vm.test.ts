import { TerraformVariable, Testing } from "cdktf";
import { VirtualEnvironmentFirewallOptions } from "../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { VirtualEnvironmentVm } from "../../.gen/providers/proxmox/virtual-environment-vm";
import { HardenedVm, HardenedVmProps } from "../../constructs/hardened-vm";
import { Port } from "../../constructs/port";
import { SSH_KEY, debianTemplate, newStack, onlyResource, synthJson } from "./fixtures";

function vm(extra: Partial<HardenedVmProps> = {}) {
  const { stack } = newStack();
  const template = debianTemplate(stack);
  const web = new HardenedVm(stack, "web", {
    node: "pve1",
    name: "web-1",
    template,
    user: { sshKeys: [SSH_KEY] },
    ...extra,
  });
  return { stack, web, template };
}

function vmResource(stack: Parameters<typeof onlyResource>[0]) {
  const all = synthJson(stack).resource.proxmox_virtual_environment_vm;
  return Object.entries(all).find(([k]) => k.startsWith("web_"))![1] as Record<string, any>;
}

describe("HardenedVm defaults", () => {
  it("full-clones the template with a key-only, non-root cloud-init user and no password", () => {
    const { stack } = vm();
    const r = vmResource(stack);
    expect(r.clone).toEqual({
      vm_id: expect.stringMatching(/^\$\{proxmox_virtual_environment_vm\.debian_vm_[0-9A-F]+\.vm_id\}$/),
      full: true,
      datastore_id: "local-lvm",
      retries: 3,
    });
    expect(r.initialization.user_account).toEqual({ username: "ops", keys: [SSH_KEY] });
    expect(r.initialization.user_account.password).toBeUndefined();
  });

  it("turns the firewall on at VM level with DROP in / ACCEPT out and on the NIC", () => {
    const { stack } = vm();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallOptions, {
      enabled: true,
      input_policy: "DROP",
      output_policy: "ACCEPT",
      macfilter: true,
    });
    expect(vmResource(stack).network_device[0]).toMatchObject({ firewall: true, bridge: "vmbr0", model: "virtio", mtu: null });
  });

  it("lets DHCP through the VM firewall only for a DHCP guest", () => {
    expect(Testing.synth(vm().stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallOptions, { dhcp: true });
    expect(Testing.synth(vm({ ipv4: { address: "10.0.0.5/24" } }).stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallOptions, { dhcp: false });
  });

  it("bounds the guest-agent wait instead of the provider's 15-minute default", () => {
    expect(vmResource(vm().stack).agent).toEqual({ enabled: true, trim: true, type: "virtio", timeout: "3m", wait_for_ip: { ipv4: true } });
  });

  it("uses virtio-scsi-single with iothread and discard, a migratable CPU type and starts on boot", () => {
    const r = vmResource(vm().stack);
    expect(r.scsi_hardware).toBe("virtio-scsi-single");
    expect(r.disk[0]).toMatchObject({ interface: "scsi0", iothread: true, discard: "on", size: 20 });
    expect(r.cpu).toEqual({ type: "x86-64-v2-AES", cores: 2, sockets: 1 });
    expect(r.on_boot).toBe(true);
    expect(r.protection).toBe(false);
  });

  it("protects the VM from deletion in prod", () => {
    expect(vmResource(vm({ stage: "prod" }).stack).protection).toBe(true);
    expect(vmResource(vm({ stage: "prod" }).stack).tags).toEqual(["prod", "proxmox-cdk"]);
  });
});

describe("HardenedVm opt-outs", () => {
  it("makes a linked clone when asked", () => {
    expect(vmResource(vm({ linkedClone: true }).stack).clone.full).toBe(false);
  });

  it("disables the NIC firewall together with the VM firewall", () => {
    const { stack } = vm({ firewall: { enabled: false } });
    expect(vmResource(stack).network_device[0].firewall).toBe(false);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualEnvironmentFirewallOptions, { enabled: false });
  });

  it("accepts a password only with allowPasswordLogin and only as a token", () => {
    const { stack } = newStack();
    const template = debianTemplate(stack);
    const pw = new TerraformVariable(stack, "pw", { type: "string", sensitive: true });
    new HardenedVm(stack, "web", { node: "pve1", name: "web-1", template, user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: pw.stringValue } });
    expect(vmResource(stack).initialization.user_account.password).toBe("${var.pw}");
  });

  it("allows cpu type host when asked explicitly", () => {
    expect(vmResource(vm({ cpuType: "host" }).stack).cpu.type).toBe("host");
  });

  it("clones across nodes by naming the template's node", () => {
    expect(vmResource(vm({ node: "pve2" }).stack).clone.node_name).toBe("pve1");
  });
});

describe("HardenedVm validation", () => {
  const cases: [string, Partial<HardenedVmProps>, RegExp][] = [
    ["cores 0", { cores: 0 }, /cores must be an integer between 1 and 128, got 0/],
    ["memory below 512 MiB", { memoryMiB: 256 }, /memoryMiB must be an integer between 512 and .*got 256 — PVE guests need at least 512 MiB/],
    ["a name that is not a DNS label", { name: "Web_1" }, /name "Web_1" is not a valid DNS label/],
    ["root as the cloud-init user", { user: { username: "root", sshKeys: [SSH_KEY] } }, /"root" is refused/],
    ["no SSH keys", { user: { sshKeys: [] } }, /sshKeys is empty — a hardened VM needs at least one public key/],
    ["a key that is not a public key", { user: { sshKeys: ["hunter2"] } }, /not an OpenSSH public key/],
    ["a literal password", { user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: "hunter2" } }, /password is a literal/],
    ["a password without the opt-in", { user: { sshKeys: [SSH_KEY], password: "x" } }, /set allowPasswordLogin: true/],
    ["an unbounded agent wait", { agentTimeout: "15m" }, /agentTimeout "15m" must be a duration like 90s or 3m, at most 10m/],
    ["a bad static address", { ipv4: { address: "10.0.0.300/24" } }, /ipv4.address "10.0.0.300\/24" is not an IPv4 CIDR/],
    ["a VLAN outside 1-4094", { vlanId: 4095 }, /vlanId must be an integer between 1 and 4094, got 4095/],
    ["both template and image", { imageFileId: "local:import/x.qcow2" }, /exactly one of template/],
  ];
  it.each(cases)("rejects %s", (_what, extra, message) => {
    expect(() => vm(extra)).toThrow(message);
  });

  it("rejects duplicate VM ids in one app", () => {
    const { stack } = newStack();
    const template = debianTemplate(stack);
    new HardenedVm(stack, "a", { node: "pve1", name: "a", template, vmId: 101, user: { sshKeys: [SSH_KEY] } });
    expect(() => new HardenedVm(stack, "b", { node: "pve1", name: "b", template, vmId: 101, user: { sshKeys: [SSH_KEY] } })).toThrow(
      /vmId 101 is already used by test\/a/,
    );
  });

  it("addresses a DHCP VM by its agent-reported IPv4 when it is a firewall peer", () => {
    const { stack, web } = vm();
    const db = new HardenedVm(stack, "db", {
      node: "pve1",
      name: "db-1",
      imageFileId: "local:import/x.qcow2",
      user: { sshKeys: [SSH_KEY] },
      ipv4: { address: "10.0.0.5/24" },
    });
    db.connections.allowFrom(web, Port.POSTGRES);
    const rules = Object.values(synthJson(stack).resource.proxmox_virtual_environment_firewall_rules)[0] as { rule: { source: string }[] };
    expect(rules.rule[0].source).toMatch(/^\$\{element\(element\(proxmox_virtual_environment_vm\.web_vm_[0-9A-F]+\.ipv4_addresses, 1\), 0\)\}$/);
  });
});

describe("HardenedVm from an image", () => {
  it("imports the image as the root disk instead of cloning", () => {
    const { stack } = newStack();
    new HardenedVm(stack, "web", { node: "pve1", name: "web-1", imageFileId: "local:import/debian.qcow2", user: { sshKeys: [SSH_KEY] } });
    const r = onlyResource(stack, "proxmox_virtual_environment_vm") as Record<string, any>;
    expect(r.clone).toBeUndefined();
    expect(r.disk[0].import_from).toBe("local:import/debian.qcow2");
    expect(Testing.synth(stack)).toHaveResource(VirtualEnvironmentVm);
  });
});
