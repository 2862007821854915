import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { VirtualEnvironmentVm, VirtualEnvironmentVmConfig } from "../.gen/providers/proxmox/virtual-environment-vm";
import { checkUserData, CloudInitUserData, UserDataSnippet } from "./cloud-init-user-data";
import { Connections, IConnectable } from "./connections";
import { checkCidr, checkDnsLabel, checkIntRange, checkIpv4 } from "./input-checks";
import { Peer } from "./peer";
import { SecurityGroup } from "./security-group";
import { Stage } from "./stage";
import { VmFirewall, VmFirewallProps } from "./vm-firewall";
import { claimVmId } from "./vm-id-registry";
import { guestBaseConfig } from "./guest-base";
import { VmTemplate } from "./vm-template";
import { literalText } from "./literal-text";
import { checkGuestLogin } from "./login-checks";
import { ExistingGuest, importExistingGuest } from "./existing-guest";
import { AttachedDataDisk, attachDataDisks, DataDiskProps, renderDataDisk } from "./vm-data-disk";
import { checkNic, MAX_EXTRA_NICS, renderNic, VmNicProps } from "./vm-network";
import { vtpmState } from "./tpm-state";

/**
 * How the guest unlocks its encrypted data disks at boot, without a human and without a key next to
 * the data (docs/data-protection.md compares them):
 * - `tang`: network-bound (clevis + tang servers the guest reaches); nothing on the VM itself.
 * - `tpm2`: bound to the VM's virtual TPM, which the construct then adds (`tpmstate0`).
 */
export type DiskUnlock = "tang" | "tpm2";

/** Static IPv4 settings of a VM's first NIC. */
export interface StaticIpv4 {
  /** Address with prefix, e.g. `10.20.0.11/24`. */
  readonly address: string;
  /** Default gateway. @default none */
  readonly gateway?: string;
}

/** The cloud-init user. */
export interface CloudInitUser {
  /** Login name; `root` is refused. @default "ops" */
  readonly username?: string;
  /** SSH public keys; at least one (password login is off). */
  readonly sshKeys: readonly string[];
  /**
   * Allow a password for this user (console login). Reported by the policy pack (PVE-CI-001).
   * @default false
   */
  readonly allowPasswordLogin?: boolean;
  /**
   * The password, only with `allowPasswordLogin`. Must be a token (e.g. a sensitive TerraformVariable),
   * never a literal: a literal would be written into the synthesised JSON.
   * @default none
   */
  readonly password?: string;
}

/** Props of {@link HardenedVm}. */
export interface HardenedVmProps {
  /** Node that hosts the VM. */
  readonly node: string;
  /** VM name (a DNS label; also the guest's hostname). */
  readonly name: string;
  /** Template to clone. Exactly one of `template` and `imageFileId` is required. @default none */
  readonly template?: VmTemplate;
  /** Linked clone instead of a full clone (faster, but tied to the template's disks). @default false */
  readonly linkedClone?: boolean;
  /** Create from an imported image volume id (e.g. a download's `id`) instead of cloning. @default none */
  readonly imageFileId?: string;
  /**
   * Take over a VM that already runs (with `vmId`) instead of creating one: Terraform imports it
   * and applies the hardening in place. Excludes `template` and `imageFileId`.
   * @default none (a new VM)
   */
  readonly existing?: ExistingGuest;
  /** The cloud-init user; SSH keys required. */
  readonly user: CloudInitUser;
  /**
   * Custom cloud-init user data (packages, commands, files; openssh-server always), uploaded as a
   * snippet over SSH to the node — opt-in, as the provider then needs root SSH access to the node.
   * The rendered cloud-config still creates `user` with its keys and never holds a password.
   * @default none (API-only: PVE's own cloud-init user data)
   */
  readonly userData?: CloudInitUserData;
  /** VM id. @default allocated by PVE */
  readonly vmId?: number;
  /** Deployment stage; prod turns protection on. @default "dev" */
  readonly stage?: Stage;
  /** vCPU cores. @default 2 */
  readonly cores?: number;
  /** Memory in MiB (at least 512). @default 2048 */
  readonly memoryMiB?: number;
  /** Root disk size in GiB. @default 20 */
  readonly diskGiB?: number;
  /** Storage for disks and the cloud-init drive. @default "local-lvm" */
  readonly datastoreId?: string;
  /** Bridge or SDN vnet of the NIC. @default "vmbr0" */
  readonly bridge?: string;
  /** VLAN tag on the bridge (leave unset on an SDN vnet). @default none */
  readonly vlanId?: number;
  /** IPv4: static address, or `"dhcp"` (as a firewall peer it is then its agent-reported address). @default "dhcp" */
  readonly ipv4?: StaticIpv4 | "dhcp";
  /** DNS servers pushed by cloud-init. @default none (from DHCP or the image) */
  readonly dnsServers?: readonly string[];
  /** Firewall settings; every weakening is reported by the policy pack. @default enabled, DROP in, ACCEPT out */
  readonly firewall?: VmFirewallProps;
  /** CPU type. `host` breaks live migration between different CPUs and is reported in multi-node clusters. @default "x86-64-v2-AES" */
  readonly cpuType?: string;
  /** How long the provider waits for the guest agent (and its IP) before giving up. @default "3m" */
  readonly agentTimeout?: string;
  /** Start the VM when the node boots. @default true */
  readonly onBoot?: boolean;
  /** PVE deletion protection. @default true in prod, false otherwise */
  readonly protection?: boolean;
  /** Resource pool. @default none */
  readonly poolId?: string;
  /** Tags (lowercase). @default [] */
  readonly tags?: readonly string[];
  /** Free text in the PVE description. @default "Managed by proxmox-cdk" */
  readonly description?: string;
  /**
   * Data disks next to the boot disk, attached as scsi1, scsi2, … in this order (the order is their
   * identity: append new disks at the end). Each gets a serial (`pcdk-luks-<n>` when encrypted,
   * `pcdk-data-<n>` otherwise) so the guest finds it at a stable /dev/disk/by-id path.
   * @default none
   */
  readonly dataDisks?: readonly DataDiskProps[];
  /**
   * How the guest unlocks its encrypted data disks at boot. `tpm2` adds a virtual TPM 2.0 (its state on
   * `datastoreId`) when the VM has an encrypted data disk.
   * @default "tang"
   */
  readonly diskUnlock?: DiskUnlock;
  /**
   * NICs after the first (net1, net2, …), each with the firewall on unless it says `firewall: false`,
   * which the policy pack reports (PVE-FW-002). cloud-init configures only the first NIC; address
   * the others in the guest.
   * @default none
   */
  readonly extraNics?: readonly VmNicProps[];
}

/** Agent wait must be a bounded duration, never the provider's 15-minute default that hangs refreshes. */
const DURATION = /^(\d+)(s|m)$/;

/**
 * A hardened VM: a clone of a {@link VmTemplate} (full by default) or a VM from an image, with a
 * key-only cloud-init user (never root, no password), the PVE firewall on at VM and NIC level
 * (DROP in / ACCEPT out), the guest agent with a bounded wait, virtio-scsi-single with iothread and
 * discard, a migratable CPU type, start on boot, and protection in prod.
 */
export class HardenedVm extends Construct implements IConnectable {
  /** VM id (a token when PVE allocates it). */
  readonly vmId: number;
  /** Node hosting the VM. */
  readonly nodeName: string;
  /** VM name. */
  readonly name: string;
  /** The VM's IPv4 address: the static one, or the one the guest agent reports. */
  readonly ipv4Address: string;
  /** Firewall intents: `vm.connections.allowFrom(other, Port.SSH)`. */
  readonly connections: Connections;
  /** The VM's firewall (options and rules). */
  readonly firewall: VmFirewall;
  /** The underlying provider resource, for advanced wiring. */
  readonly resource: VirtualEnvironmentVm;
  /** The data disks with their slots, serials and guest device paths, in order. */
  readonly dataDisks: readonly AttachedDataDisk[];
  /** How the guest unlocks its encrypted data disks. */
  readonly diskUnlock: DiskUnlock;

  constructor(scope: Construct, id: string, props: HardenedVmProps) {
    super(scope, id);
    const owner = `HardenedVm "${id}"`;
    const cfg = validate(owner, props);
    if (props.vmId !== undefined) claimVmId(this, props.vmId);
    this.nodeName = props.node;
    this.name = props.name;
    const datastoreId = props.datastoreId ?? "local-lvm";
    const stage = props.stage ?? "dev";
    this.dataDisks = attachDataDisks(owner, props.dataDisks ?? [], datastoreId);
    this.diskUnlock = props.diskUnlock ?? "tang";
    const vtpm = this.diskUnlock === "tpm2" && this.dataDisks.some((d) => d.encrypted);
    const snippet = props.userData
      ? new UserDataSnippet(this, "user-data", {
          node: props.node,
          fileName: `${props.name}-user-data.yaml`,
          login: { hostname: props.name, username: cfg.username, sshKeys: props.user.sshKeys },
          userData: props.userData,
        })
      : undefined;

    const guest = guestBaseConfig({
      node: props.node,
      vmId: props.vmId,
      name: props.name,
      description: props.description ?? "Managed by proxmox-cdk",
      stage,
      kindTags: [],
      tags: props.tags,
      protection: props.protection,
      onBoot: props.onBoot,
      cpuType: props.cpuType,
      cores: cfg.cores,
      memoryMiB: cfg.memoryMiB,
      agent: { timeout: cfg.agentTimeout, waitForIpv4: true },
      bridge: props.bridge,
      vlanId: props.vlanId,
      nicFirewall: props.firewall?.enabled,
    });
    const base: VirtualEnvironmentVmConfig = {
      ...guest,
      networkDevice: [...(guest.networkDevice as readonly object[]), ...(props.extraNics ?? []).map(renderNic)] as VirtualEnvironmentVmConfig["networkDevice"],
      poolId: props.poolId,
      operatingSystem: { type: "l26" },
      serialDevice: [{ device: "socket" }],
      disk: [
        {
          interface: props.existing?.diskInterface ?? "scsi0",
          datastoreId,
          size: cfg.diskGiB,
          discard: "on",
          iothread: true,
          ssd: true,
          ...(props.imageFileId ? { importFromAttribute: props.imageFileId } : {}),
        },
        ...this.dataDisks.map(renderDataDisk),
      ],
      ...(vtpm ? { tpmState: vtpmState(datastoreId) } : {}),
      initialization: {
        datastoreId,
        userAccount: {
          username: cfg.username,
          keys: [...props.user.sshKeys],
          ...(props.user.password ? { password: props.user.password } : {}),
        },
        ipConfig: [
          {
            ipv4: cfg.ipv4 === "dhcp" ? { address: "dhcp" } : { address: cfg.ipv4.address, gateway: cfg.ipv4.gateway },
          },
        ],
        ...(props.dnsServers ? { dns: { servers: [...props.dnsServers] } } : {}),
        ...(snippet ? { userDataFileId: snippet.fileId } : {}),
      },
      ...(props.template
        ? {
            clone: {
              vmId: props.template.vmId,
              full: !(props.linkedClone ?? false),
              ...(props.template.nodeName !== props.node ? { nodeName: props.template.nodeName } : {}),
              datastoreId,
              retries: 3,
            },
          }
        : {}),
    };
    this.resource = new VirtualEnvironmentVm(this, "vm", literalText(base));
    this.vmId = this.resource.vmId;

    const staticIp = cfg.ipv4 === "dhcp" ? undefined : cfg.ipv4.address.split("/")[0];
    this.ipv4Address = staticIp ?? Token.asString(Fn.element(Fn.element(this.resource.ipv4Addresses, 1), 0));
    this.firewall = new VmFirewall(
      this,
      "firewall",
      {
        node: props.node,
        vmId: this.vmId,
        // A DHCP VM is addressed by the IPv4 its guest agent reports, known once it is running.
        peer: () => Peer.host(staticIp ?? this.ipv4Address),
        dhcp: !staticIp,
      },
      props.firewall,
    );
    this.connections = this.firewall.connections;
    if (props.existing) importExistingGuest(this.resource, this.firewall, "vm", props.node, props.vmId as number);
  }

  /**
   * Includes a cluster security group's rules in this VM's firewall. Pass the construct (the rule
   * then depends on the group being created first) or the name of an existing group.
   */
  addSecurityGroup(group: SecurityGroup | string): void {
    this.firewall.addSecurityGroup(typeof group === "string" ? group : group.resource.name);
  }
}

interface ValidatedConfig {
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  username: string;
  agentTimeout: string;
  ipv4: StaticIpv4 | "dhcp";
}

function validate(owner: string, props: HardenedVmProps): ValidatedConfig {
  checkDnsLabel(owner, "name", props.name);
  if (props.existing) {
    if (props.template || props.imageFileId) throw new Error(`${owner}: an existing VM is imported, not created — drop template and imageFileId.`);
    if (props.vmId === undefined || Token.isUnresolved(props.vmId)) throw new Error(`${owner}: an existing VM needs its vmId (a number) to be imported.`);
    if (!/^scsi([0-9]|[12][0-9]|30)$/.test(props.existing.diskInterface ?? "scsi0")) {
      throw new Error(`${owner}: existing.diskInterface ${JSON.stringify(props.existing.diskInterface)} is not a SCSI disk (scsi0..scsi30).`);
    }
  } else if (!!props.template === !!props.imageFileId) {
    throw new Error(`${owner}: set exactly one of template (to clone) and imageFileId (to create from an image).`);
  }
  if (props.linkedClone && !props.template) throw new Error(`${owner}: linkedClone needs a template to clone.`);
  const cores = props.cores ?? 2;
  checkIntRange(owner, "cores", cores, 1, 128);
  const memoryMiB = props.memoryMiB ?? 2048;
  checkIntRange(owner, "memoryMiB", memoryMiB, 512, 4 * 1024 * 1024, "PVE guests need at least 512 MiB");
  const diskGiB = props.diskGiB ?? 20;
  checkIntRange(owner, "diskGiB", diskGiB, 1, 65536);
  if (props.vmId !== undefined) checkIntRange(owner, "vmId", props.vmId, 100, 999_999_999);
  if (props.vlanId !== undefined) checkIntRange(owner, "vlanId", props.vlanId, 1, 4094);
  const username = props.user.username ?? "ops";
  if (username === "root") {
    throw new Error(`${owner}: user.username "root" is refused — use an unprivileged user with sudo (e.g. "ops").`);
  }
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(username)) {
    throw new Error(`${owner}: user.username "${username}" is not a valid Linux user name.`);
  }
  checkGuestLogin(owner, "user", props.user, "a hardened VM");
  if (props.userData) {
    checkUserData(owner, props.userData);
    if (props.user.password !== undefined) {
      throw new Error(
        `${owner}: userData and user.password cannot be combined — PVE ignores the cloud-init password under custom user data, and a password never goes into a snippet.`,
      );
    }
    if (props.user.sshKeys.some((k) => Token.isUnresolved(k))) {
      throw new Error(`${owner}: userData needs literal SSH public keys (they are written into the cloud-config snippet), not tokens.`);
    }
  }
  const agentTimeout = props.agentTimeout ?? "3m";
  const d = DURATION.exec(agentTimeout);
  if (!d || (d[2] === "m" ? Number(d[1]) * 60 : Number(d[1])) > 600 || Number(d[1]) === 0) {
    throw new Error(`${owner}: agentTimeout "${agentTimeout}" must be a duration like 90s or 3m, at most 10m.`);
  }
  const ipv4 = props.ipv4 ?? "dhcp";
  if (ipv4 !== "dhcp") {
    checkCidr(owner, "ipv4.address", ipv4.address);
    if (ipv4.gateway) checkIpv4(owner, "ipv4.gateway", ipv4.gateway);
  }
  const extraNics = props.extraNics ?? [];
  if (extraNics.length > MAX_EXTRA_NICS) throw new Error(`${owner}: extraNics has ${extraNics.length} entries, at most ${MAX_EXTRA_NICS} are supported.`);
  extraNics.forEach((nic, i) => checkNic(owner, `extraNics[${i}]`, nic));
  if (props.diskUnlock !== undefined && props.diskUnlock !== "tang" && props.diskUnlock !== "tpm2") {
    throw new Error(`${owner}: diskUnlock "${String(props.diskUnlock)}" is not a disk unlock — use "tang" or "tpm2".`);
  }
  return { cores, memoryMiB, diskGiB, username, agentTimeout, ipv4 };
}
