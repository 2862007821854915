import { Construct } from "constructs";
import { VirtualEnvironmentVm } from "../.gen/providers/proxmox/virtual-environment-vm";
import { Connections, IConnectable } from "./connections";
import { checkDnsLabel, checkIntRange, checkIpv4 } from "./input-checks";
import { Peer } from "./peer";
import { Stage } from "./stage";
import { VmFirewall, VmFirewallProps } from "./vm-firewall";
import { claimVmId } from "./vm-id-registry";
import { guestBaseConfig } from "./guest-base";
import { literalText } from "./literal-text";
import { checkIsoVolumeId } from "./iso-image";
import { WINDOWS_DEFAULTS, WINDOWS_MINIMUMS, WINDOWS_NAME_MAX_LENGTH, WindowsOsType } from "./windows-requirements";

/** Props of {@link WindowsVm}. */
export interface WindowsVmProps {
  /** Node that hosts the VM. */
  readonly node: string;
  /** VM name (a DNS label, at most 15 characters: the NetBIOS limit). */
  readonly name: string;
  /**
   * Windows installer ISO volume (on ide2): a volume id such as `local:iso/Win11_24H2_English_x64.iso`,
   * or the {@link IsoImage.fileId} of a download, so the VM waits for the ISO.
   */
  readonly installerIsoFileId: string;
  /**
   * VirtIO driver ISO (virtio-win). bpg/proxmox 0.111.1's VM resource holds a single CD-ROM, so the
   * preset cannot attach it next to the installer: slipstream the drivers into the installer ISO,
   * or swap the CD-ROM to this ISO after the first installer phase by changing `installerIsoFileId`.
   * Recorded in the description so operators know which driver version belongs to the VM.
   * @default none
   */
  readonly virtioDriversIsoFileId?: string;
  /** Windows version (sets `ostype`). @default "win11" */
  readonly osType?: WindowsOsType;
  /** VM id. @default allocated by PVE */
  readonly vmId?: number;
  /** Deployment stage; prod turns protection on. @default "dev" */
  readonly stage?: Stage;
  /** vCPU cores. @default 4 */
  readonly cores?: number;
  /** Memory in MiB (Windows 11 needs 4096). @default 8192 */
  readonly memoryMiB?: number;
  /** System disk size in GiB (Windows 11 needs 64). @default 80 */
  readonly diskGiB?: number;
  /** Storage for the disk, EFI vars and TPM state. @default "local-lvm" */
  readonly datastoreId?: string;
  /** Bridge or SDN vnet. @default "vmbr0" */
  readonly bridge?: string;
  /** VLAN tag on the bridge. @default none */
  readonly vlanId?: number;
  /** Static IPv4 of the VM, known to the firewall as its address (Windows sets it itself). @default none */
  readonly ipv4Address?: string;
  /** Firewall settings. @default enabled, DROP in, ACCEPT out */
  readonly firewall?: VmFirewallProps;
  /**
   * CPU type. `host` is accepted here, unlike for Linux guests: Virtualization-Based Security and
   * Credential Guard need the host's virtualization extensions passed through. It pins the VM to
   * nodes with the same CPU model (live migration), which the policy pack reports in multi-node clusters.
   * @default "x86-64-v2-AES"
   */
  readonly cpuType?: string;
  /** Resource pool the VM joins. @default none */
  readonly poolId?: string;
  /** PVE deletion protection. @default true in prod */
  readonly protection?: boolean;
  /** Tags. @default [] */
  readonly tags?: readonly string[];
}

/**
 * Windows 10/11 with the "VM Deployer" best practices: UEFI (OVMF) with Secure Boot keys
 * pre-enrolled, TPM 2.0, q35, VirtIO SCSI single with iothread and discard, a VirtIO NIC with the
 * firewall on, the guest agent, and the installer on ide2 (q35 accepts CD-ROMs only on ide0/ide2).
 */
export class WindowsVm extends Construct implements IConnectable {
  /** VM id. */
  readonly vmId: number;
  /** VM name. */
  readonly name: string;
  /** Node that hosts the VM. */
  readonly nodeName: string;
  /** The static IPv4 address given (`ipv4Address`), or "" when Windows takes one by DHCP (no agent runs before Windows is installed). */
  readonly ipv4Address: string;
  /** Firewall intents; RDP is not opened by default. */
  readonly connections: Connections;
  /** The VM's firewall. */
  readonly firewall: VmFirewall;
  /** The provider resource. */
  readonly resource: VirtualEnvironmentVm;

  constructor(scope: Construct, id: string, props: WindowsVmProps) {
    super(scope, id);
    const owner = `WindowsVm "${id}"`;
    checkDnsLabel(owner, "name", props.name);
    if (props.name.length > WINDOWS_NAME_MAX_LENGTH)
      throw new Error(`${owner}: name "${props.name}" is longer than ${WINDOWS_NAME_MAX_LENGTH} characters (NetBIOS limit).`);
    const min = WINDOWS_MINIMUMS;
    const cores = props.cores ?? WINDOWS_DEFAULTS.cores;
    checkIntRange(owner, "cores", cores, min.cores, 128, `Windows 11 needs at least ${min.cores} cores`);
    const memoryMiB = props.memoryMiB ?? WINDOWS_DEFAULTS.memoryMiB;
    checkIntRange(owner, "memoryMiB", memoryMiB, min.memoryMiB, 4 * 1024 * 1024, `Windows 11 needs at least ${min.memoryMiB} MiB`);
    const diskGiB = props.diskGiB ?? WINDOWS_DEFAULTS.diskGiB;
    checkIntRange(owner, "diskGiB", diskGiB, min.diskGiB, 65536, `Windows 11 needs at least ${min.diskGiB} GiB`);
    checkIsoVolumeId(owner, "installerIsoFileId", props.installerIsoFileId);
    if (props.virtioDriversIsoFileId !== undefined) checkIsoVolumeId(owner, "virtioDriversIsoFileId", props.virtioDriversIsoFileId);
    if (props.ipv4Address) checkIpv4(owner, "ipv4Address", props.ipv4Address);
    if (props.vmId !== undefined) {
      checkIntRange(owner, "vmId", props.vmId, 100, 999_999_999);
      claimVmId(this, props.vmId);
    }
    const stage = props.stage ?? "dev";
    const datastoreId = props.datastoreId ?? "local-lvm";
    const description = ["Windows VM managed by proxmox-cdk.", props.virtioDriversIsoFileId ? `virtio drivers: ${props.virtioDriversIsoFileId}` : ""]
      .filter(Boolean)
      .join("\n");

    this.resource = new VirtualEnvironmentVm(
      this,
      "vm",
      literalText({
        ...guestBaseConfig({
          node: props.node,
          vmId: props.vmId,
          name: props.name,
          description,
          stage,
          kindTags: ["windows"],
          tags: props.tags,
          protection: props.protection,
          cpuType: props.cpuType,
          cores,
          memoryMiB,
          agent: { timeout: "3m", waitForIpv4: false },
          bridge: props.bridge,
          vlanId: props.vlanId,
          nicFirewall: props.firewall?.enabled,
        }),
        poolId: props.poolId,
        bios: "ovmf",
        machine: "q35",
        efiDisk: { datastoreId, type: "4m", preEnrolledKeys: true },
        tpmState: { datastoreId, version: "v2.0" },
        operatingSystem: { type: props.osType ?? WINDOWS_DEFAULTS.osType },
        disk: [{ interface: "scsi0", datastoreId, size: diskGiB, discard: "on", iothread: true, ssd: true }],
        cdrom: { interface: "ide2", fileId: props.installerIsoFileId },
      }),
    );
    this.vmId = this.resource.vmId;
    this.name = props.name;
    this.nodeName = props.node;
    this.ipv4Address = props.ipv4Address ?? "";
    this.firewall = new VmFirewall(
      this,
      "firewall",
      {
        node: props.node,
        vmId: this.vmId,
        peer: () => {
          if (!props.ipv4Address) throw new Error(`${owner} has no ipv4Address, so firewall rules cannot address it.`);
          return Peer.host(props.ipv4Address);
        },
        dhcp: !props.ipv4Address,
      },
      props.firewall,
    );
    this.connections = this.firewall.connections;
  }
}
