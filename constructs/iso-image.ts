import { Construct } from "constructs";
import { Token } from "cdktf";
import { DownloadFile } from "../.gen/providers/proxmox/download-file";
import { ChecksumAlgorithm, checkChecksum, checkDownloadUrl, urlFileName } from "./download-checksum";
import { checkIntRange } from "./input-checks";
import { literalText } from "./literal-text";
import { ISO_FILE_NAME } from "./pve-file-names";

/** An ISO volume id as PVE names it: `<storage>:iso/<file>.iso`. */
const ISO_VOLUME_ID = /^[A-Za-z0-9_.-]+:iso\/[^/]+\.(iso|img)$/i;

/**
 * Throws unless `fileId` is an ISO volume id (`local:iso/Win11.iso`). A token (for example
 * {@link IsoImage.fileId}, known only at apply) is accepted as it is: PVE named it.
 */
export function checkIsoVolumeId(owner: string, field: string, fileId: string): void {
  if (Token.isUnresolved(fileId)) return;
  if (!ISO_VOLUME_ID.test(fileId)) {
    throw new Error(`${owner}: ${field} "${fileId}" must be an ISO volume like local:iso/Win11.iso, or the fileId of an IsoImage.`);
  }
}

/** Props of {@link IsoImage}. */
export interface IsoImageProps {
  /** Node that downloads the ISO (and runs the VMs that boot from it, unless the storage is shared). */
  readonly node: string;
  /** http(s) URL of the ISO. */
  readonly url: string;
  /** Hex checksum of the ISO; PVE refuses the download when it does not match. */
  readonly checksum: string;
  /** Algorithm of {@link checksum}. @default "sha256" */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  /** File name on the storage; must end in .iso or .img. @default last URL segment */
  readonly fileName?: string;
  /** Storage with the `iso` content type that receives the file. @default "local" */
  readonly datastoreId?: string;
  /**
   * How long the provider waits for PVE's download task, in seconds (installer ISOs are several GiB).
   * @default 3600
   */
  readonly downloadTimeoutSeconds?: number;
}

/**
 * An installer or driver ISO downloaded by PVE itself (`download-url`, content type `iso`), its
 * checksum verified before the file is stored. {@link fileId} is the volume id a VM's CD-ROM takes
 * (`WindowsVm.installerIsoFileId`), so the VM is created only after the download finished.
 */
export class IsoImage extends Construct {
  /** Volume id of the ISO (`local:iso/<file>`), a reference resolved at apply. */
  readonly fileId: string;
  /** File name on the storage. */
  readonly fileName: string;
  /** The provider resource, for advanced wiring. */
  readonly resource: DownloadFile;

  constructor(scope: Construct, id: string, props: IsoImageProps) {
    super(scope, id);
    const owner = `IsoImage "${id}"`;
    checkDownloadUrl(owner, "url", props.url, "an ISO image");
    const algorithm = props.checksumAlgorithm ?? "sha256";
    checkChecksum(owner, "checksum", props.checksum, algorithm);
    const fileName = props.fileName ?? urlFileName(props.url);
    if (!ISO_FILE_NAME.test(fileName)) {
      throw new Error(
        `${owner}: file name "${fileName}" must end in .iso or .img and use only letters, digits and - . + = _ (what PVE stores as ISO content) — set fileName.`,
      );
    }
    const timeout = props.downloadTimeoutSeconds ?? 3600;
    checkIntRange(owner, "downloadTimeoutSeconds", timeout, 60, 86400);
    this.fileName = fileName;
    this.resource = new DownloadFile(
      this,
      "iso",
      literalText({
        nodeName: props.node,
        datastoreId: props.datastoreId ?? "local",
        contentType: "iso",
        url: props.url,
        fileName,
        checksum: props.checksum,
        checksumAlgorithm: algorithm,
        uploadTimeout: timeout,
      }),
    );
    this.fileId = this.resource.id;
  }
}
