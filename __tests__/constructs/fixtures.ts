import { App, TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../.gen/providers/proxmox/provider";
import { VmTemplate } from "../../constructs/vm-template";
import { ContainerTemplate } from "../../constructs/container-template";

/** A public key in OpenSSH format for tests (not a real person's key). */
export const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly0000000000000000000 test@proxmox-cdk";

/** A sha512 checksum of the right shape. */
export const CHECKSUM = "ab".repeat(64);

/** A fresh stack with the provider configured. */
export function newStack(id = "test"): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new ProxmoxProvider(stack, "proxmox", {});
  return { app, stack };
}

/** A Debian template on pve1 with VM id 9000. */
export function debianTemplate(stack: TerraformStack, props: { uefi?: boolean; vmId?: number } = {}): VmTemplate {
  return new VmTemplate(stack, "debian", {
    node: "pve1",
    name: "debian-12",
    vmId: props.vmId ?? 9000,
    uefi: props.uefi,
    image: { url: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2", checksum: CHECKSUM },
  });
}

/** Parsed synthesised JSON of a stack. */
export function synthJson(stack: TerraformStack): {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
} {
  return JSON.parse(Testing.synth(stack));
}

/** The only resource of a type in a stack (throws when there is not exactly one). */
export function onlyResource(stack: TerraformStack, type: string): Record<string, unknown> {
  const all = Object.values(synthJson(stack).resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** A Debian LXC template download on pve1 (sha512 checksum, OS type from the file name). */
export function debianContainerTemplate(stack: TerraformStack): ContainerTemplate {
  return new ContainerTemplate(stack, "debian-ct", {
    node: "pve1",
    url: "http://download.proxmox.com/images/system/debian-12-standard_12.7-1_amd64.tar.zst",
    checksum: CHECKSUM,
  });
}
