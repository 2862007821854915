import { Construct } from "constructs";
import { MANAGED_TAG } from "./managed-tag";
import { DownloadFile } from "../.gen/providers/proxmox/download-file";
import { VirtualEnvironmentVm } from "../.gen/providers/proxmox/virtual-environment-vm";
import { COMMON_DEFAULTS } from "../envspec/stage-defaults";
import { checkDnsLabel, checkIntRange } from "./input-checks";
import { importFileNameProblem } from "./pve-file-names";
import { claimVmId } from "./vm-id-registry";
import { renderNic } from "./vm-network";
import { literalText } from "./literal-text";
import { ChecksumAlgorithm, checkChecksum, checkDownloadUrl, urlFileName } from "./download-checksum";

/** Version of the hardening baseline the templates and VMs of this release implement. */
export const HARDENING_BASELINE_VERSION = "2026.11";

export type { ChecksumAlgorithm } from "./download-checksum";

/** A cloud image to build a template from. */
export interface CloudImage {
  /** http(s) URL of a qcow2/raw cloud image (e.g. Debian genericcloud). */
  readonly url: string;
  /** Hex checksum of the image; the download fails when it does not match. */
  readonly checksum: string;
  /** Algorithm of {@link checksum}. @default "sha512" */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  /**
   * File name in the import storage; must end in .qcow2, .raw or .vmdk, the format the file is in:
   * PVE reads a downloaded image in the format its extension names (it does not detect it). Ubuntu's
   * `.img` cloud images are qcow2, so give them a `.qcow2` name.
   * @default last URL segment
   */
  readonly fileName?: string;
}

/** Props of {@link VmTemplate}. */
export interface VmTemplateProps {
  /** Node that downloads the image and holds the template. */
  readonly node: string;
  /** Template name (a DNS label). */
  readonly name: string;
  /** The cloud image; a checksum is required. */
  readonly image: CloudImage;
  /** VM id of the template. @default allocated by PVE (cluster/nextid) */
  readonly vmId?: number;
  /** Storage with the `import` content type that receives the image. @default "local" */
  readonly imageDatastoreId?: string;
  /** Storage for the template's disks. @default "local-lvm" */
  readonly datastoreId?: string;
  /** Root disk size in GiB (at least the image's virtual size). @default 8 */
  readonly diskGiB?: number;
  /**
   * Bake UEFI (OVMF, q35, EFI disk with pre-enrolled Secure Boot keys) into the template. It is baked
   * here, never added at clone time: bpg/proxmox mishandles an EFI disk added to a clone. The default
   * is the environment spec's (envspec/stage-defaults.ts `COMMON_DEFAULTS.uefi`).
   * @default true
   */
  readonly uefi?: boolean;
  /** Bridge of the template's NIC (clones set their own). @default "vmbr0" */
  readonly bridge?: string;
  /** Extra tags. @default [] */
  readonly tags?: readonly string[];
}

/**
 * A golden VM template from a cloud image, built without SSH: the image is downloaded by PVE
 * (`content_type = import`, checksum verified) and imported as the root disk, with a cloud-init
 * drive, the guest agent and a serial console. The template records its image URL, checksum and
 * hardening baseline in its description and tags.
 */
export class VmTemplate extends Construct {
  /** VM id of the template (a token when PVE allocates it). */
  readonly vmId: number;
  /** Node holding the template. */
  readonly nodeName: string;
  /** True when UEFI is baked in (clones must then not add their own EFI disk). */
  readonly uefi: boolean;
  /** Template name. */
  readonly name: string;
  /** The underlying provider resources, for advanced wiring. */
  readonly resources: { readonly image: DownloadFile; readonly vm: VirtualEnvironmentVm };

  constructor(scope: Construct, id: string, props: VmTemplateProps) {
    super(scope, id);
    const owner = `VmTemplate "${id}"`;
    checkDnsLabel(owner, "name", props.name);
    checkDownloadUrl(owner, "image.url", props.image.url, "a cloud image");
    const algorithm = props.image.checksumAlgorithm ?? "sha512";
    checkChecksum(owner, "image.checksum", props.image.checksum, algorithm);
    const fileName = props.image.fileName ?? urlFileName(props.image.url);
    const nameProblem = importFileNameProblem(fileName, "image.fileName");
    if (nameProblem) throw new Error(`${owner}: ${nameProblem}.`);
    const diskGiB = props.diskGiB ?? 8;
    checkIntRange(owner, "diskGiB", diskGiB, 1, 65536);
    if (props.vmId !== undefined) {
      checkIntRange(owner, "vmId", props.vmId, 100, 999_999_999);
      claimVmId(this, props.vmId);
    }
    this.nodeName = props.node;
    this.uefi = props.uefi ?? COMMON_DEFAULTS.uefi;
    this.name = props.name;
    const datastoreId = props.datastoreId ?? "local-lvm";

    const image = new DownloadFile(
      this,
      "image",
      literalText({
        nodeName: props.node,
        datastoreId: props.imageDatastoreId ?? "local",
        contentType: "import",
        url: props.image.url,
        fileName,
        checksum: props.image.checksum,
        checksumAlgorithm: algorithm,
      }),
    );

    const description = [
      `Golden template managed by proxmox-cdk.`,
      `image: ${props.image.url}`,
      `${algorithm}: ${props.image.checksum}`,
      `hardening-baseline: ${HARDENING_BASELINE_VERSION}`,
    ].join("\n");

    const vm = new VirtualEnvironmentVm(
      this,
      "vm",
      literalText({
        nodeName: props.node,
        vmId: props.vmId,
        name: props.name,
        description,
        tags: [...new Set([MANAGED_TAG, "template", `baseline-${HARDENING_BASELINE_VERSION}`, ...(props.tags ?? [])])].sort(),
        template: true,
        started: false,
        onBoot: false,
        agent: { enabled: true, trim: true, type: "virtio" },
        serialDevice: [{ device: "socket" }],
        vga: { type: "serial0" },
        scsiHardware: "virtio-scsi-single",
        cpu: { type: "x86-64-v2-AES", cores: 1 },
        memory: { dedicated: 1024 },
        operatingSystem: { type: "l26" },
        disk: [
          {
            interface: "scsi0",
            datastoreId,
            importFromAttribute: image.id,
            size: diskGiB,
            discard: "on",
            iothread: true,
            ssd: true,
          },
        ],
        initialization: { datastoreId, ipConfig: [{ ipv4: { address: "dhcp" } }] },
        networkDevice: [renderNic({ bridge: props.bridge ?? "vmbr0" })],
        ...(this.uefi ? { bios: "ovmf", machine: "q35", efiDisk: { datastoreId, type: "4m", preEnrolledKeys: true } } : {}),
      }),
    );
    this.vmId = vm.vmId;
    this.resources = { image, vm };
  }
}
