import { FakeContext, fakeContext } from "./fake-context";
import { qcow2Image } from "./fixtures";
import { putFile } from "../../../sim/storage/volumes";

const GiB = 1024 ** 3;

/** An SSH key line as PVE validates it (a well-formed ed25519 blob). */
export const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@ci";

/** `sshkeys` the way bpg/proxmox sends it: URL-escaped, spaces as %20. */
export const SSH_KEY_ESCAPED = encodeURIComponent(SSH_KEY).replace(/\+/g, "%2B");

/**
 * The create arguments bpg/proxmox 0.111.1 sends for a cloud-image VM (as captured from its
 * request encoders): disks as `file=…` property strings, sizes in bytes, booleans as 0/1.
 */
export function providerCreateArgs(vmid: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    vmid: String(vmid),
    name: `vm${vmid}`,
    acpi: "1",
    agent: "enabled=1,fstrim_cloned_disks=0,type=virtio",
    bios: "ovmf",
    boot: "order=scsi0;net0",
    cores: "2",
    cpu: "x86-64-v2-AES",
    memory: "2048",
    balloon: "0",
    sockets: "1",
    numa: "0",
    ostype: "l26",
    scsihw: "virtio-scsi-single",
    onboot: "0",
    protection: "0",
    tablet: "1",
    template: "0",
    keyboard: "en-us",
    scsi0: `file=local-lvm:0,import-from=local:import/debian.qcow2,aio=io_uring,backup=1,cache=none,discard=on,iothread=1,replicate=1,ssd=1,size=${8 * GiB}`,
    efidisk0: "file=local-lvm:1,format=raw,efitype=4m,pre-enrolled-keys=1",
    tpmstate0: "file=local-lvm:1,version=v2.0",
    ide2: "file=local-lvm:cloudinit",
    net0: "model=virtio,bridge=vmbr0,firewall=1,tag=10",
    serial0: "socket",
    ciuser: "admin",
    sshkeys: SSH_KEY_ESCAPED,
    ipconfig0: "gw=10.0.10.1,ip=10.0.10.5/24",
    ...extra,
  };
}

/** Puts a 2 GiB (virtual) qcow2 import image on pve1's `local`, as a finished download would. */
export function seedImportImage(ctx: FakeContext): void {
  putFile(ctx.state, "pve1", "local", "import", "debian.qcow2", { format: "qcow2", size: qcow2Image(2 * GiB).length, virtualSize: 2 * GiB });
}

/** Creates a VM from {@link providerCreateArgs}; throws unless the create task succeeds. */
export async function createVm(ctx: FakeContext, vmid: number, extra: Record<string, string> = {}): Promise<void> {
  const status = await ctx.task("POST", "/nodes/pve1/qemu", providerCreateArgs(vmid, extra));
  if (status !== "OK") throw new Error(`create of VM ${vmid} failed: ${status}`);
}

/** The config of a VM as GET …/config answers it. */
export async function config(ctx: FakeContext, vmid: number, node = "pve1"): Promise<Record<string, unknown>> {
  return (await ctx.call("GET", `/nodes/${node}/qemu/${vmid}/config`)) as Record<string, unknown>;
}

/** Creates VM `vmid` and converts it to a template. */
export async function createTemplate(ctx: FakeContext, vmid: number): Promise<void> {
  seedImportImage(ctx);
  await createVm(ctx, vmid);
  const status = await ctx.task("POST", `/nodes/pve1/qemu/${vmid}/template`);
  if (status !== "OK") throw new Error(`template conversion of ${vmid} failed: ${status}`);
}

/** A fresh context (with `latency` per task type) holding VM 100, created from the import image. */
export async function contextWithVm100(latency: Record<string, number> = {}): Promise<FakeContext> {
  const ctx = fakeContext(latency);
  seedImportImage(ctx);
  await createVm(ctx, 100);
  return ctx;
}
