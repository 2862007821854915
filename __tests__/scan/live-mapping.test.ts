import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyContext } from "../../policy/context";
import { buildLiveStack } from "../../scan/live-stack";
import { lxcToContainer } from "../../scan/map-lxc";
import { qemuToVm } from "../../scan/map-qemu";
import { managedBy, readStateIndex } from "../../scan/managed-guests";
import { renderScanReport } from "../../scan/scan-report";
import { scanSnapshot } from "../../scan/scan-snapshot";
import { liveCluster, liveVm, SSHKEYS } from "../policy/live-fixtures";

describe("live VM mapping", () => {
  it("holds what bpg/proxmox would read from a VM's config", () => {
    // GIVEN a VM config as PVE returns it WHEN mapped
    const vm = qemuToVm(
      liveVm(100, { cipassword: "**********", net1: "e1000=BC:24:11:00:00:09,bridge=vmbr1,tag=30,link_down=1", tpmstate0: "local-lvm:vm-100-disk-2,size=4M" }),
    );
    // THEN the provider's attributes carry PVE's values and PVE's defaults where it differs from the provider's
    expect(vm).toMatchObject({
      node_name: "pve1",
      vm_id: 100,
      tags: ["dev", "proxmox-cdk"],
      on_boot: true,
      protection: false,
      agent: { enabled: true, trim: true },
      cpu: { type: "x86-64-v2-AES" },
      disk: [{ interface: "scsi0", datastore_id: "local-lvm", discard: "on", size: 8 }],
      tpm_state: { version: "v1.2" },
      network_device: [
        { model: "virtio", mac_address: "BC:24:11:00:00:01", bridge: "vmbr0", firewall: true },
        { model: "e1000", bridge: "vmbr1", firewall: false, vlan_id: 30, disconnected: true },
      ],
      initialization: { interface: "ide2", user_account: { username: "ops", password: "**********", keys: [decodeURIComponent(SSHKEYS).trim()] } },
    });
  });

  it("keeps hostile text literal: no Terraform expression and no cdktf token is ever evaluated", () => {
    // GIVEN a VM whose name and tags hold template sequences and a cdktf token marker
    const hostile = '${file("/etc/passwd")}';
    const snapshot = liveCluster({ guests: [liveVm(100, { name: hostile, description: "${TfToken[TOKEN.1]} %{if true}x%{endif}", tags: "dev", agent: "0" })] });
    // WHEN scanned
    const found = scanSnapshot(snapshot).policy.findings;
    // THEN the agent finding is decided (nothing "could not evaluate"); the name, not being plain text, is not shown
    expect(found.map((f) => [f.ruleId, f.couldNotEvaluate])).toEqual([["PVE-AG-001", undefined]]);
    expect(found[0].message).toBe(
      "proxmox_virtual_environment_vm.nodes_pve1_qemu_100_config: the guest agent is disabled, so backups cannot freeze the file systems.",
    );
    // AND what the rules read is the text with Terraform's escapes: the token marker was not resolved
    const live = buildLiveStack(snapshot);
    const vm = new PolicyContext(live.stack, {}, live.prepared).ofType(["proxmox_virtual_environment_vm"])[0];
    expect([vm.config.name, vm.config.description]).toEqual(['$${file("/etc/passwd")}', "$${TfToken[TOKEN.1]} %%{if true}x%%{endif}"]);
  });
});

describe("live container mapping", () => {
  it("holds what bpg/proxmox would read from a container's config", () => {
    // GIVEN a container config WHEN mapped THEN the container resource's attributes carry it, PVE's defaults included
    const ct = lxcToContainer({
      type: "lxc",
      node: "pve2",
      vmid: 300,
      config: {
        hostname: "db",
        tags: "prod",
        rootfs: "local-lvm:vm-300-disk-0,size=8G",
        net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:30,firewall=1,tag=5",
        features: "nesting=1",
        ostype: "debian",
      },
      firewall: { options: {}, rules: [] },
    });
    expect(ct).toMatchObject({
      node_name: "pve2",
      vm_id: 300,
      unprivileged: false,
      start_on_boot: false,
      tags: ["prod"],
      disk: { datastore_id: "local-lvm" },
      features: { nesting: true },
      operating_system: { type: "debian" },
      initialization: { hostname: "db" },
      network_interface: [{ name: "eth0", bridge: "vmbr0", firewall: true, vlan_id: 5, mac_address: "BC:24:11:00:00:30", enabled: true }],
    });
  });
});

describe("managed guests", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-states-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("counts a guest managed when an environment's state holds its id, or when it carries the proxmox-cdk tag", () => {
    // GIVEN two environments' states
    for (const [env, ids] of [
      ["dev", [100]],
      ["prod", [100, 200]],
    ] as const) {
      fs.mkdirSync(path.join(dir, env), { recursive: true });
      const resources = [
        { type: "proxmox_virtual_environment_vm", instances: ids.map((vm_id) => ({ attributes: { vm_id } })) },
        { type: "proxmox_virtual_environment_firewall_options", instances: [{ attributes: { vm_id: 999 } }] },
      ];
      fs.writeFileSync(path.join(dir, env, "terraform.tfstate"), JSON.stringify({ version: 4, resources }));
    }
    const states = readStateIndex(dir);
    // WHEN asking about guests THEN state wins, then the tag, else unmanaged
    expect(managedBy(100, [], states)).toEqual({ state: "dev,prod" });
    expect(managedBy(300, ["proxmox-cdk", "prod"], states)).toEqual({ tag: "proxmox-cdk" });
    expect(managedBy(999, ["prod"], states)).toBeUndefined();
  });

  it("names a state file that is not JSON", () => {
    fs.mkdirSync(path.join(dir, "broken"), { recursive: true });
    fs.writeFileSync(path.join(dir, "broken", "terraform.tfstate"), "{ not json");
    expect(() => readStateIndex(dir)).toThrow(`${path.join(dir, "broken", "terraform.tfstate")}: not a Terraform state`);
    fs.rmSync(path.join(dir, "broken"), { recursive: true });
  });
});

describe("scan reports", () => {
  const result = scanSnapshot(liveCluster({ guests: [liveVm(100, { agent: "0" }), liveVm(101, { tags: "dev" })] }), { states: new Map([[101, ["dev"]]]) });

  it("list each guest as managed or unmanaged in Markdown, with the rules it breaks", () => {
    const md = renderScanReport(result, "markdown", { target: "Proxmox VE at https://pve.example:8006/" });
    expect(md).toContain("# Scan report: Proxmox VE at https://pve.example:8006/");
    expect(md).toContain("| pve1 | 100 | VM | vm100 | yes (tag proxmox-cdk) | PVE-AG-001 |");
    expect(md).toContain("| pve1 | 101 | VM | vm101 | yes (state: dev) | — |");
    expect(md).toContain("## Rules not applied to live configuration");
  });

  it("put the guests under `scan` in JSON, next to the policy report's findings", () => {
    const json = JSON.parse(renderScanReport(result, "json", { target: "t" }));
    expect(json.summary).toEqual({ errors: 0, warnings: 1, infos: 0, suppressed: 0 });
    expect(json.scan.guests.map((g: { vmid: number; managed: boolean }) => [g.vmid, g.managed])).toEqual([
      [100, true],
      [101, true],
    ]);
  });
});
