import { Token } from "cdktf";
import { Construct } from "constructs";
import { VirtualEnvironmentContainer, VirtualEnvironmentContainerConfig } from "../.gen/providers/proxmox/virtual-environment-container";
import { Connections, IConnectable } from "./connections";
import { CONTAINER_OS_TYPES, ContainerOsType } from "./container-template";
import { guestProtection, guestTags } from "./guest-base";
import type { StaticIpv4 } from "./hardened-vm";
import { checkCidr, checkDnsLabel, checkIntRange, checkIpv4 } from "./input-checks";
import { literalText } from "./literal-text";
import { checkGuestLogin, GuestLogin } from "./login-checks";
import { Peer } from "./peer";
import { SecurityGroup } from "./security-group";
import { Stage } from "./stage";
import { VmFirewall, VmFirewallProps } from "./vm-firewall";
import { claimVmId } from "./vm-id-registry";
import { ExistingGuest, importExistingGuest } from "./existing-guest";

/** The OS template a container is created from: a {@link ContainerTemplate}, or a volume already on the node. */
export interface IContainerTemplate {
  /** Volume id, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`. */
  readonly fileId: string;
  /** The distribution inside the archive. */
  readonly osType: ContainerOsType;
}

/**
 * The container's root login. PVE writes the keys into root's `authorized_keys` at creation (a
 * container has no cloud-init user: root is the account).
 */
export interface ContainerLogin extends GuestLogin {
  /** SSH public keys of root; at least one (password login is off). */
  readonly sshKeys: readonly string[];
  /**
   * Allow a root password (console login). Reported by the policy pack (PVE-CT-006).
   * @default false
   */
  readonly allowPasswordLogin?: boolean;
  /**
   * Root's password, only with `allowPasswordLogin`. Must be exactly one token (e.g. a sensitive
   * TerraformVariable's value), never a literal nor text around a token: a literal would be written
   * into the synthesised JSON.
   * @default none
   */
  readonly password?: string;
}

/**
 * Container features, each off by default and each reported by the policy pack when on. PVE lets
 * only root@pam set any feature but `nesting` (pve-container `check_ct_modify_config_perm`).
 */
export interface ContainerFeatures {
  /** Nesting (exposes the host's procfs and sysfs to the guest; systemd and docker want it). Reported by PVE-CT-002. @default false */
  readonly nesting?: boolean;
  /** The `keyctl()` system call (unprivileged containers only; docker wants it). Reported by PVE-CT-003. @default false */
  readonly keyctl?: boolean;
  /** FUSE mounts (can deadlock I/O with the freezer cgroup). Reported by PVE-CT-004. @default false */
  readonly fuse?: boolean;
  /** File system types the container may mount (e.g. `nfs`; can block the host's I/O). Reported by PVE-CT-004. @default none */
  readonly mountTypes?: readonly string[];
}

/** Props of {@link HardenedContainer}. */
export interface HardenedContainerProps {
  /** Node that hosts the container. */
  readonly node: string;
  /** Container name (a DNS label; also its hostname). */
  readonly name: string;
  /** The OS template to create the container from. Required unless `existing`. @default none */
  readonly template?: IContainerTemplate;
  /**
   * Take over a container that already runs (with `vmId`) instead of creating one: Terraform
   * imports it and applies the hardening in place. Its OS template and root's keys are what it was
   * created with (bpg/proxmox replaces a container whose `operating_system` or
   * `initialization.user_account` changes, and PVE keeps neither in the configuration), so they are
   * left out and `operating_system` is ignored after the import.
   * @default none (a new container)
   */
  readonly existing?: ExistingGuest;
  /** Root's login; SSH keys required. */
  readonly user: ContainerLogin;
  /**
   * Static IPv4 of `eth0`. Required: bpg/proxmox reads a DHCP container's address (`ipv4`) with a
   * 10-second wait on every refresh and records an empty map when the lease is not visible yet,
   * which would empty the container's entry in every firewall rule naming it.
   */
  readonly ipv4: StaticIpv4;
  /** Container id. @default allocated by PVE */
  readonly vmId?: number;
  /** Deployment stage; prod turns protection on. @default "dev" */
  readonly stage?: Stage;
  /** CPU cores. @default 1 */
  readonly cores?: number;
  /** Memory in MiB (at least 64). @default 512 */
  readonly memoryMiB?: number;
  /** Swap in MiB. @default 0 */
  readonly swapMiB?: number;
  /** Root file system size in GiB. @default 8 */
  readonly diskGiB?: number;
  /** Storage of the root file system. @default "local-lvm" */
  readonly datastoreId?: string;
  /** Bridge or SDN vnet of the NIC. @default "vmbr0" */
  readonly bridge?: string;
  /** VLAN tag on the bridge (leave unset on an SDN vnet). @default none */
  readonly vlanId?: number;
  /** DNS servers. @default none (the node's) */
  readonly dnsServers?: readonly string[];
  /** Firewall settings; every weakening is reported by the policy pack. @default enabled, DROP in, ACCEPT out */
  readonly firewall?: VmFirewallProps;
  /**
   * Run the container privileged (container root is host root). Reported by PVE-CT-001; PVE lets
   * only root@pam create one.
   * @default false (unprivileged)
   */
  readonly privileged?: boolean;
  /** Container features; each one turned on is reported by the policy pack. @default none */
  readonly features?: ContainerFeatures;
  /** Start the container when the node boots. @default true */
  readonly onBoot?: boolean;
  /** PVE deletion protection. @default true in prod, false otherwise */
  readonly protection?: boolean;
  /** Resource pool. @default none */
  readonly poolId?: string;
  /** Tags (lowercase). @default [] */
  readonly tags?: readonly string[];
  /** Free text in the PVE description. @default "Managed by proxmox-cdk" */
  readonly description?: string;
}

/** Mount types PVE's `features.mount` takes (its `pattern`: `[a-zA-Z0-9_; ]+`, `;`-separated). */
const MOUNT_TYPE = /^[a-zA-Z0-9_]+$/;

/**
 * A hardened LXC container: unprivileged, no features (nesting, keyctl, fuse, mount) unless asked,
 * root login by SSH key only, the PVE firewall on at container and NIC level (DROP in / ACCEPT out),
 * a static address, start on boot, and protection in prod. Its `connections` work like a VM's, so
 * intents open traffic between VMs and containers alike.
 */
export class HardenedContainer extends Construct implements IConnectable {
  /** Container id (a token when PVE allocates it). */
  readonly vmId: number;
  /** Node hosting the container. */
  readonly nodeName: string;
  /** Container name. */
  readonly name: string;
  /** The container's IPv4 address (without prefix). */
  readonly ipv4Address: string;
  /** Firewall intents: `ct.connections.allowFrom(other, Port.SSH)`. */
  readonly connections: Connections;
  /** The container's firewall (options and rules). */
  readonly firewall: VmFirewall;
  /** The underlying provider resource, for advanced wiring. */
  readonly resource: VirtualEnvironmentContainer;

  constructor(scope: Construct, id: string, props: HardenedContainerProps) {
    super(scope, id);
    const owner = `HardenedContainer "${id}"`;
    const cfg = validate(owner, props);
    if (props.vmId !== undefined) claimVmId(this, props.vmId);
    this.nodeName = props.node;
    this.name = props.name;
    const stage = props.stage ?? "dev";
    const features = props.features ?? {};

    const config: VirtualEnvironmentContainerConfig = {
      nodeName: props.node,
      vmId: props.vmId,
      description: props.description ?? "Managed by proxmox-cdk",
      tags: guestTags(["container"], stage, props.tags),
      unprivileged: !(props.privileged ?? false),
      started: true,
      startOnBoot: props.onBoot ?? true,
      protection: guestProtection(props.protection, stage),
      poolId: props.poolId,
      cpu: { cores: cfg.cores },
      memory: { dedicated: cfg.memoryMiB, swap: cfg.swapMiB },
      disk: { datastoreId: props.datastoreId ?? "local-lvm", size: cfg.diskGiB },
      // An existing container without features keeps none: PVE lets only root@pam change feature flags.
      ...(props.existing && !features.nesting && !features.keyctl && !features.fuse && !features.mountTypes?.length
        ? {}
        : {
            features: {
              nesting: features.nesting ?? false,
              keyctl: features.keyctl ?? false,
              fuse: features.fuse ?? false,
              ...(features.mountTypes && features.mountTypes.length > 0 ? { mount: [...features.mountTypes] } : {}),
            },
          }),
      ...(props.template && !props.existing ? { operatingSystem: { templateFileId: props.template.fileId, type: props.template.osType } } : {}),
      networkInterface: [{ name: "eth0", bridge: props.bridge ?? "vmbr0", vlanId: props.vlanId, firewall: props.firewall?.enabled ?? true }],
      initialization: {
        hostname: props.name,
        ipConfig: [{ ipv4: { address: props.ipv4.address, gateway: props.ipv4.gateway } }],
        ...(props.existing ? {} : { userAccount: { keys: [...props.user.sshKeys], ...(props.user.password ? { password: props.user.password } : {}) } }),
        ...(props.dnsServers ? { dns: { servers: [...props.dnsServers] } } : {}),
      },
    };
    this.resource = new VirtualEnvironmentContainer(this, "container", literalText(config));
    if (props.existing) this.resource.lifecycle = { ignoreChanges: ["operating_system"] };
    this.vmId = this.resource.vmId;
    this.ipv4Address = props.ipv4.address.split("/")[0];
    const address = this.ipv4Address;
    this.firewall = new VmFirewall(this, "firewall", { node: props.node, vmId: this.vmId, guest: "container", peer: () => Peer.host(address) }, props.firewall);
    this.connections = this.firewall.connections;
    if (props.existing) importExistingGuest(this.resource, this.firewall, "container", props.node, props.vmId as number);
  }

  /**
   * Includes a cluster security group's rules in this container's firewall. Pass the construct (the
   * rule then depends on the group being created first) or the name of an existing group.
   */
  addSecurityGroup(group: SecurityGroup | string): void {
    this.firewall.addSecurityGroup(typeof group === "string" ? group : group.resource.name);
  }
}

function validate(owner: string, props: HardenedContainerProps): { cores: number; memoryMiB: number; swapMiB: number; diskGiB: number } {
  checkDnsLabel(owner, "name", props.name);
  if (props.existing) {
    if (props.template) throw new Error(`${owner}: an existing container is imported, not created — drop template.`);
    if (props.vmId === undefined || Token.isUnresolved(props.vmId))
      throw new Error(`${owner}: an existing container needs its vmId (a number) to be imported.`);
    if (props.privileged)
      throw new Error(`${owner}: an existing container is adopted unprivileged only (bpg/proxmox replaces a container whose unprivileged flag changes).`);
  } else if (!props.template) {
    throw new Error(`${owner}: template is required — the OS template to create the container from.`);
  } else if (!CONTAINER_OS_TYPES.includes(props.template.osType)) {
    throw new Error(
      `${owner}: template.osType "${props.template.osType}" is not one PVE sets containers up for — use one of ${CONTAINER_OS_TYPES.join(", ")}.`,
    );
  }
  const cores = props.cores ?? 1;
  checkIntRange(owner, "cores", cores, 1, 128);
  const memoryMiB = props.memoryMiB ?? 512;
  checkIntRange(owner, "memoryMiB", memoryMiB, 64, 4 * 1024 * 1024);
  const swapMiB = props.swapMiB ?? 0;
  checkIntRange(owner, "swapMiB", swapMiB, 0, 4 * 1024 * 1024);
  const diskGiB = props.diskGiB ?? 8;
  checkIntRange(owner, "diskGiB", diskGiB, 1, 65536);
  if (props.vmId !== undefined) checkIntRange(owner, "vmId", props.vmId, 100, 999_999_999);
  if (props.vlanId !== undefined) checkIntRange(owner, "vlanId", props.vlanId, 1, 4094);
  checkGuestLogin(owner, "user", props.user, "a hardened container");
  if ((props.ipv4 as unknown) === "dhcp") {
    throw new Error(
      `${owner}: ipv4 "dhcp" is refused — give a static address: bpg/proxmox reads a container's DHCP address with a 10-second wait and records none when the lease is late, which would empty its firewall entries.`,
    );
  }
  checkCidr(owner, "ipv4.address", props.ipv4.address);
  if (props.ipv4.gateway) checkIpv4(owner, "ipv4.gateway", props.ipv4.gateway);
  if (props.privileged && props.features?.keyctl) {
    throw new Error(`${owner}: features.keyctl is for unprivileged containers only (pve-container) — drop keyctl or privileged.`);
  }
  for (const t of props.features?.mountTypes ?? []) {
    if (!MOUNT_TYPE.test(t)) throw new Error(`${owner}: features.mountTypes entry "${t}" is not a file system type — use names like nfs or cifs.`);
  }
  return { cores, memoryMiB, swapMiB, diskGiB };
}
