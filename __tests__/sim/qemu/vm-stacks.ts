import type { TerraformStack } from "cdktf";
import { DownloadFile } from "../../../.gen/providers/proxmox/download-file";
import { VirtualEnvironmentVm, VirtualEnvironmentVmConfig } from "../../../.gen/providers/proxmox/virtual-environment-vm";
import { renderNic } from "../../../constructs/vm-network";
import { providerStack } from "../../e2e/harness/provider-stack";

/** Inputs of the template stack. */
export interface TemplateInputs {
  readonly imageUrl: string;
  readonly imageSha256: string;
  readonly sshKey: string;
  /** Cloud-init password (PVE reads it back masked). */
  readonly password?: string;
  readonly description: string;
  readonly tags: string[];
}

/**
 * A downloaded cloud image (content `import`, checksum checked) and a hardened template VM
 * importing it: UEFI with pre-enrolled keys, TPM 2.0, cloud-init (user, key, static IP), guest
 * agent with a bounded wait for an IP, firewall on the NIC.
 */
export function addTemplate(stack: TerraformStack, inputs: TemplateInputs, vmId = 9000): VirtualEnvironmentVm {
  const image = new DownloadFile(stack, "image", {
    nodeName: "pve1",
    datastoreId: "local",
    contentType: "import",
    url: inputs.imageUrl,
    fileName: "debian-13-genericcloud-amd64.qcow2",
    checksum: inputs.imageSha256,
    checksumAlgorithm: "sha256",
  });
  return new VirtualEnvironmentVm(stack, "template", {
    nodeName: "pve1",
    vmId,
    name: "debian-13-template",
    description: inputs.description,
    tags: inputs.tags,
    template: true,
    started: false,
    onBoot: false,
    bios: "ovmf",
    machine: "q35",
    scsiHardware: "virtio-scsi-single",
    operatingSystem: { type: "l26" },
    cpu: { cores: 2, type: "x86-64-v2-AES" },
    memory: { dedicated: 2048, floating: 0 },
    agent: { enabled: true, timeout: "2m", waitForIp: { ipv4: true } },
    efiDisk: { datastoreId: "local-lvm", type: "4m", preEnrolledKeys: true },
    tpmState: { datastoreId: "local-lvm", version: "v2.0" },
    disk: [{ interface: "scsi0", datastoreId: "local-lvm", importFromAttribute: image.id, size: 8, iothread: true, discard: "on", ssd: true }],
    serialDevice: [{ device: "socket" }],
    networkDevice: [renderNic({ bridge: "vmbr0", firewall: true, vlanId: 10 })],
    initialization: {
      datastoreId: "local-lvm",
      userAccount: { username: "admin", keys: [inputs.sshKey], password: inputs.password },
      ipConfig: [{ ipv4: { address: "10.0.10.5/24", gateway: "10.0.10.1" } }],
    },
  });
}

/** A stack with the provider and whatever `build` adds. */
export function stackWith(name: string, build: (stack: TerraformStack) => void): TerraformStack {
  const stack = providerStack(name);
  build(stack);
  return stack;
}

/** Inputs of one clone of the template. */
export interface CloneInputs {
  readonly id: string;
  readonly vmId: number;
  readonly full: boolean;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  readonly tags: string[];
}

/** A started clone of the template, with its own cloud-init address and the agent's IP wait. */
export function addClone(
  stack: TerraformStack,
  template: VirtualEnvironmentVm,
  c: CloneInputs,
  extra: Partial<VirtualEnvironmentVmConfig> = {},
): VirtualEnvironmentVm {
  return new VirtualEnvironmentVm(stack, c.id, {
    nodeName: "pve1",
    vmId: c.vmId,
    name: c.id,
    tags: c.tags,
    clone: { vmId: template.vmId, full: c.full },
    started: true,
    onBoot: false,
    scsiHardware: "virtio-scsi-single",
    cpu: { cores: c.cores, type: "x86-64-v2-AES" },
    memory: { dedicated: c.memoryMiB, floating: 0 },
    agent: { enabled: true, timeout: "1m", waitForIp: { ipv4: true } },
    disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: c.diskGiB, iothread: true, discard: "on", ssd: true }],
    networkDevice: [renderNic({ bridge: "vmbr0", firewall: true, vlanId: 10 })],
    initialization: {
      datastoreId: "local-lvm",
      ipConfig: [{ ipv4: { address: `10.0.10.${c.vmId % 200}/24`, gateway: "10.0.10.1" } }],
    },
    ...extra,
  });
}
