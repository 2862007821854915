import { Construct } from "constructs";
import { DownloadFile } from "../.gen/providers/proxmox/download-file";
import { ChecksumAlgorithm, checkChecksum, checkDownloadUrl, urlFileName } from "./download-checksum";
import { literalText } from "./literal-text";
import { vztmplFileNameProblem } from "./pve-file-names";
import { CONTAINER_OS_TYPES, ContainerOsType, osTypeOfFileName } from "./container-os-type";

export { CONTAINER_OS_TYPES, osTypeOfFileName } from "./container-os-type";
export type { ContainerOsType } from "./container-os-type";

/** Props of {@link ContainerTemplate}. */
export interface ContainerTemplateProps {
  /** Node that downloads the template (and creates the containers, unless the storage is shared). */
  readonly node: string;
  /** http(s) URL of an LXC OS template archive (e.g. from http://download.proxmox.com/images/system/). */
  readonly url: string;
  /** Hex checksum of the archive; PVE refuses the download when it does not match. */
  readonly checksum: string;
  /** Algorithm of {@link checksum}. @default "sha512" */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  /** File name on the storage; must end in .tar.gz, .tar.xz or .tar.zst. @default last URL segment */
  readonly fileName?: string;
  /**
   * The distribution inside the archive: PVE sets up the container (root keys, hostname, network)
   * with its scripts for this OS type.
   * @default the file name's first segment (`debian-12-standard_…` → debian); required when that names no OS type
   */
  readonly osType?: ContainerOsType;
  /** Storage with the `vztmpl` content type that receives the file. @default "local" */
  readonly datastoreId?: string;
}

/**
 * An LXC OS template downloaded by PVE itself (`download-url`, content type `vztmpl`), its checksum
 * verified before the file is stored. {@link fileId} is the volume id a {@link HardenedContainer}
 * is created from, so containers are created only after the download finished.
 */
export class ContainerTemplate extends Construct {
  /** Volume id of the template (`local:vztmpl/<file>`), a reference resolved at apply. */
  readonly fileId: string;
  /** File name on the storage. */
  readonly fileName: string;
  /** The distribution inside the archive. */
  readonly osType: ContainerOsType;
  /** Node that downloaded the template. */
  readonly nodeName: string;
  /** The provider resource, for advanced wiring. */
  readonly resource: DownloadFile;

  constructor(scope: Construct, id: string, props: ContainerTemplateProps) {
    super(scope, id);
    const owner = `ContainerTemplate "${id}"`;
    checkDownloadUrl(owner, "url", props.url, "an LXC template archive");
    const algorithm = props.checksumAlgorithm ?? "sha512";
    checkChecksum(owner, "checksum", props.checksum, algorithm);
    const fileName = props.fileName ?? urlFileName(props.url);
    const problem = vztmplFileNameProblem(fileName, "fileName");
    if (problem) throw new Error(`${owner}: ${problem}.`);
    if (props.osType !== undefined && !CONTAINER_OS_TYPES.includes(props.osType)) {
      throw new Error(`${owner}: osType "${props.osType}" is not one PVE sets containers up for — use one of ${CONTAINER_OS_TYPES.join(", ")}.`);
    }
    const osType = props.osType ?? osTypeOfFileName(fileName);
    if (osType === undefined) {
      throw new Error(`${owner}: file name "${fileName}" names no OS type — set osType to one of ${CONTAINER_OS_TYPES.join(", ")}.`);
    }
    this.fileName = fileName;
    this.osType = osType;
    this.nodeName = props.node;
    this.resource = new DownloadFile(
      this,
      "vztmpl",
      literalText({
        nodeName: props.node,
        datastoreId: props.datastoreId ?? "local",
        contentType: "vztmpl",
        url: props.url,
        fileName,
        checksum: props.checksum,
        checksumAlgorithm: algorithm,
      }),
    );
    this.fileId = this.resource.id;
  }
}
