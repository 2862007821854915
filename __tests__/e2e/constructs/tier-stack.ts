import { App, TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../../.gen/providers/proxmox/provider";
import { HardenedVm } from "../../../constructs/hardened-vm";
import { Port } from "../../../constructs/port";
import { VmGroup } from "../../../constructs/vm-group";
import { VmTemplate } from "../../../constructs/vm-template";
import { sshPublicKey } from "../../sim/qemu/fixtures";

/**
 * A template, a web VmGroup of `webCount` members (static addresses, or DHCP), and a db VM that
 * lets postgres in from the group only.
 */
export function tierStack(image: { url: string; sha256: string }, webCount: number, addressing: "static" | "dhcp" = "static"): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "tier");
  new ProxmoxProvider(stack, "proxmox", {});
  const template = new VmTemplate(stack, "template", {
    node: "pve1",
    name: "debian-13",
    vmId: 9000,
    image: { url: image.url, checksum: image.sha256, checksumAlgorithm: "sha256", fileName: "debian-13.qcow2" },
  });
  const common = { template, cores: 1, memoryMiB: 1024, diskGiB: 10, agentTimeout: "1m", user: { sshKeys: [sshPublicKey("ops@tier")] } };
  const pool = addressing === "static" ? { ipv4Pool: { cidr: "10.120.0.0/24", firstHost: 11, gateway: "10.120.0.1" } } : {};
  const web = new VmGroup(stack, "web", { ...common, count: webCount, namePrefix: "web", nodes: ["pve1"], firstVmId: 201, ...pool });
  const db = new HardenedVm(stack, "db", { ...common, node: "pve1", name: "db", vmId: 301, ipv4: { address: "10.120.0.21/24", gateway: "10.120.0.1" } });
  db.connections.allowFrom(web, Port.POSTGRES, "web to db");
  return stack;
}
