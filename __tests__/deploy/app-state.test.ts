import { vmsInState } from "../../deploy/app-state";
import { buildStackInventory } from "../../inventory/ansible-inventory";
import { appPolicyFindings } from "../../review/review-findings";

/** A VM resource as `terraform show -json` prints it in a state. */
function vm(address: string, values: Record<string, unknown>) {
  return { address, mode: "managed", type: "proxmox_virtual_environment_vm", values: { node_name: "pve1", ...values } };
}

const state = {
  values: {
    root_module: {
      resources: [
        vm("proxmox_virtual_environment_vm.tpl", { name: "debian", vm_id: 9000, template: true }),
        vm("proxmox_virtual_environment_vm.web", {
          name: "web-1",
          vm_id: 301,
          initialization: [{ ip_config: [{ ipv4: [{ address: "10.0.0.5/24" }] }], user_account: [{ username: "ops" }] }],
          ipv4_addresses: [["127.0.0.1"], ["10.0.0.5"]],
        }),
        { address: "proxmox_virtual_environment_pool.p", mode: "managed", type: "proxmox_virtual_environment_pool", values: {} },
      ],
      child_modules: [
        {
          resources: [
            vm("module.m.proxmox_virtual_environment_vm.win", {
              name: "win-1",
              vm_id: 302,
              operating_system: [{ type: "win11" }],
              initialization: [{ ip_config: [{ ipv4: [{ address: "dhcp" }] }] }],
              ipv4_addresses: [["127.0.0.1"], ["10.0.0.9"]],
            }),
          ],
        },
      ],
    },
  },
};

describe("the VMs of an app's stack, read from its state", () => {
  it("lists VMs (not templates) with their static address, else the agent's first non-loopback one", () => {
    expect(vmsInState(state, "shop")).toEqual([
      { name: "web-1", id: 301, node: "pve1", ipv4: "10.0.0.5", tier: "shop", windows: false, user: "ops" },
      { name: "win-1", id: 302, node: "pve1", ipv4: "10.0.0.9", tier: "shop", windows: true },
    ]);
  });

  it("is empty for a state without resources", () => {
    expect(vmsInState({ format_version: "1.0" }, "shop")).toEqual([]);
  });

  it("makes one inventory group named after the stack, with ansible_user only where the VM sets one", () => {
    const inventory = buildStackInventory("shop", vmsInState(state, "shop")) as {
      all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> };
    };
    expect(inventory.all.children.shop.hosts).toEqual({
      "web-1": { ansible_host: "10.0.0.5", proxmox_vmid: 301, proxmox_node: "pve1", ansible_user: "ops" },
      "win-1": { ansible_host: "10.0.0.9", proxmox_vmid: 302, proxmox_node: "pve1" },
    });
  });
});

describe("policy findings of an app's stack", () => {
  it("are the PolicyPack's annotations, with severity from the level; other and suppressed annotations are left out", () => {
    const findings = appPolicyFindings([
      { constructPath: "shop/web/firewall", level: "@cdktf/error", message: "PVE-FW-002: inbound policy ACCEPT. [app.ts:3:1] Fix: use DROP" },
      { constructPath: "shop/web", level: "@cdktf/warn", message: "PVE-VM-003: no backup. Fix: add a BackupJob" },
      { constructPath: "shop/web", level: "@cdktf/info", message: "PVE-VM-004 suppressed: lab VM" },
      { constructPath: "shop", level: "@cdktf/warn", message: "some other library's warning" },
    ]);
    expect(findings).toEqual([
      { ruleId: "PVE-FW-002", severity: "error", message: "inbound policy ACCEPT.", remediation: "use DROP", path: "shop/web/firewall" },
      { ruleId: "PVE-VM-003", severity: "warning", message: "no backup.", remediation: "add a BackupJob", path: "shop/web" },
    ]);
  });
});

describe("hostile values in an app's state", () => {
  const withVm = (values: Record<string, unknown>) => ({
    values: { root_module: { resources: [vm("proxmox_virtual_environment_vm.x", { name: "x", vm_id: 400, ...values })] } },
  });

  it.each([
    [{ name: "{{ lookup('pipe', 'id') }}" }, 'name must be a DNS name, got "{{ lookup'],
    [{ node_name: "pve1\nall:" }, "node_name must be a DNS name"],
    [{ vm_id: "400" }, 'vm_id must be a VM id (100..999999999), got "400"'],
    [{ initialization: [{ user_account: [{ username: "{{x}}" }] }] }, "initialization.user_account.username must be a login name"],
  ])("refuses a VM with %j, naming the resource", (values, message) => {
    expect(() => vmsInState(withVm(values), "shop")).toThrow(`state of stack "shop": proxmox_virtual_environment_vm.x: ${message}`);
  });

  it("takes no agent-reported address that is not IPv4", () => {
    expect(vmsInState(withVm({ ipv4_addresses: [["127.0.0.1"], ["{{ x }}", "10.0.0.300", "10.0.0.7"]] }), "shop")[0].ipv4).toBe("10.0.0.7");
  });

  it("refuses a stack name that cannot name an inventory group", () => {
    expect(() => vmsInState(withVm({}), "{{x}}")).toThrow(/stack name "\{\{x\}\}" cannot name an inventory group/);
  });
});
