import type { ContainerOsType } from "../constructs/container-template";
import type { WindowsOsType } from "../constructs/windows-requirements";
import type { UserDataSpec } from "./user-data-schema";
import type { Stage } from "./environment-schema";
import type { PortRange } from "./port";
import type { Retention } from "./stage-defaults";
import type { SshKeyRecord } from "./ssh-key-entry";

/** The network, tagged by kind. */
export type ResolvedNetwork =
  | {
      readonly kind: "sdn";
      readonly zone: string;
      readonly vnet: string;
      readonly vlan: number;
      readonly subnet: string;
      readonly gateway: string;
    }
  | {
      readonly kind: "bridge";
      readonly name: string;
      /** Absent: untagged. */
      readonly vlan?: number;
      readonly subnet?: string;
      readonly gateway?: string;
    };

/** A cloud image with its defaults applied. */
export interface ResolvedTemplate {
  readonly name: string;
  readonly url: string;
  readonly checksum: string;
  readonly checksumAlgorithm: "sha256" | "sha512";
  /** Name PVE stores the image under; undefined means the URL's last segment. */
  readonly fileName?: string;
  readonly uefi: boolean;
}

/** An LXC OS template with its defaults applied. */
export interface ResolvedContainerTemplate {
  readonly name: string;
  readonly url: string;
  readonly checksum: string;
  readonly checksumAlgorithm: "sha256" | "sha512";
  /** Name PVE stores the archive under; undefined means the URL's last segment. */
  readonly fileName?: string;
  /** Undefined means the file name's first segment (the construct derives it). */
  readonly osType?: ContainerOsType;
}

/** A Windows installer ISO with its defaults applied. */
export interface ResolvedWindowsInstaller {
  readonly name: string;
  readonly url: string;
  readonly checksum: string;
  readonly checksumAlgorithm: "sha256" | "sha512";
  /** Name PVE stores the ISO under; undefined means the URL's last segment. */
  readonly fileName?: string;
  readonly osType: WindowsOsType;
}

/** How a tier's VMs get IPv4: DHCP, or the n-th usable address of `pool` for the n-th VM. */
export type ResolvedIpv4 = { readonly mode: "dhcp" } | { readonly mode: "pool"; readonly pool: string };

/** A tier with its defaults applied. */
export interface ResolvedTier {
  readonly name: string;
  /** VMs cloned from a template, or containers from a container template (always an ipv4 pool). */
  readonly kind: "vm" | "container";
  readonly count: number;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** A key of `templates` (kind vm), of `containerTemplates` (kind container) or of `windowsInstallers` (os windows). */
  readonly template: string;
  readonly tags: readonly string[];
  readonly os: "linux" | "windows";
  readonly ipv4: ResolvedIpv4;
  /** `<env>-<tier>-<n>` for n = 1..count: the VM names, each a DNS label. */
  readonly vmNames: readonly string[];
  /** Custom cloud-init user data (opt-in, needs SSH to the node); absent = API-only. */
  readonly userData?: UserDataSpec;
  /** Data disks of every VM (kind vm), in slot order; each encrypted unless the spec says otherwise. */
  readonly dataDisks: readonly ResolvedDataDisk[];
  /** NICs after the first (kind vm), in order. */
  readonly nics: readonly ResolvedExtraNic[];
  /** Container features turned on (kind container); absent = none. */
  readonly features?: { readonly nesting?: boolean; readonly keyctl?: boolean };
}

/** A data disk of a tier's VMs. */
export interface ResolvedDataDisk {
  readonly sizeGiB: number;
  /** Absent: the boot disk's storage. */
  readonly storage?: string;
  readonly encrypted: boolean;
}

/** A NIC after the first of a tier's VMs. */
export interface ResolvedExtraNic {
  readonly bridge: string;
  /** Absent: untagged. */
  readonly vlan?: number;
  readonly firewall: boolean;
}

/** How guests unlock their encrypted data disks at boot (`dataProtection`). */
export interface ResolvedDataProtection {
  readonly diskUnlock: "tang" | "tpm2";
  /** tang servers with their pinned thumbprints; empty for tpm2. */
  readonly tang: readonly { readonly url: string; readonly thumbprint: string }[];
  /** How many tang servers must answer. */
  readonly threshold: number;
}

/** Tier-to-tier traffic to allow. */
export interface ResolvedAllowIntent {
  readonly from: string;
  readonly to: string;
  /** The port as written (`postgres`, `tcp/8080`). */
  readonly port: string;
  /** What the port stands for. */
  readonly ranges: readonly PortRange[];
  readonly comment?: string;
}

/** A tier port opened to an outside network. */
export interface ResolvedExposeIntent {
  readonly tier: string;
  readonly port: string;
  readonly ranges: readonly PortRange[];
  /** Source network in CIDR form. */
  readonly from: string;
  readonly comment?: string;
}

/** The backup job, or its absence. */
export type ResolvedBackups =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly schedule: string; readonly storage: string; readonly retention: Retention; readonly pbs?: ResolvedPbsTarget };

/** The PBS storage an environment defines as its backup target (`backups.pbs`). */
export interface ResolvedPbsTarget {
  readonly server: string;
  readonly datastore: string;
  readonly username: string;
  readonly fingerprint?: string;
  /** `generate` unless the spec opted out with a reason. */
  readonly encryption: { readonly kind: "generate" } | { readonly kind: "none"; readonly reason: string };
}

/** HA settings; maxRestart/maxRelocate are meaningful only when enabled. */
export interface ResolvedHa {
  readonly enabled: boolean;
  readonly maxRestart: number;
  readonly maxRelocate: number;
}

/**
 * A hardened stage default that the spec explicitly switched off (e.g. `ha.enabled: false` in
 * prod). Allowed, and listed so that the policy pack can report it.
 */
export interface WeakenedDefault {
  /** Spec path of the explicit field, e.g. `ha.enabled`. */
  readonly path: string;
  readonly stageDefault: boolean;
  readonly value: boolean;
}

/** A running guest the environment takes over (`adopted`), with its defaults resolved. */
export interface ResolvedAdoptedGuest {
  readonly name: string;
  readonly kind: "vm" | "container";
  readonly vmid: number;
  readonly node: string;
  readonly cores: number;
  readonly memoryMiB: number;
  /** Containers only (0 when unset). */
  readonly swapMiB: number;
  /** `interface` is the VM's disk (scsi0 when unset); a container has its root file system. */
  readonly disk: { readonly interface: string; readonly storage: string; readonly sizeGiB: number };
  readonly network: { readonly bridge: string; readonly vlan?: number };
  /** `dhcp`, or an address with prefix. */
  readonly ipv4: string;
  readonly gateway?: string;
  /** Tier whose inbound intents the guest receives. */
  readonly tier?: string;
  readonly tags: readonly string[];
  readonly pool?: string;
}

/** An environment with every default resolved for its stage: what stacks compose constructs from. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly stage: Stage;
  readonly nodes: readonly string[];
  readonly network: ResolvedNetwork;
  readonly templates: Readonly<Record<string, ResolvedTemplate>>;
  readonly containerTemplates: Readonly<Record<string, ResolvedContainerTemplate>>;
  readonly windowsInstallers: Readonly<Record<string, ResolvedWindowsInstaller>>;
  readonly tiers: Readonly<Record<string, ResolvedTier>>;
  readonly firewall: { readonly allow: readonly ResolvedAllowIntent[]; readonly expose: readonly ResolvedExposeIntent[] };
  readonly protection: boolean;
  readonly backups: ResolvedBackups;
  readonly ha: ResolvedHa;
  readonly placement: "spread" | "pack";
  readonly stateBackend: "local" | "pg";
  readonly cloudInit: {
    readonly user: string;
    /** The key lines, in spec order (what the guests' authorized_keys hold). */
    readonly sshKeys: readonly string[];
    /** The same keys with their fingerprints and, when written, the day each was added. */
    readonly sshKeyRecords: readonly SshKeyRecord[];
    /** Oldest a key may be, in days (spec, else the stage's default). */
    readonly maxKeyAgeDays: number;
  };
  /** Absent: Proxmox VE picks free VM ids. */
  readonly vmIdRange?: { readonly start: number; readonly end: number };
  readonly dataProtection: ResolvedDataProtection;
  /** Stage defaults the spec switched off explicitly, in spec order. */
  readonly weakenedDefaults: readonly WeakenedDefault[];
  /** Running guests the environment takes over, by name. @default none */
  readonly adopted?: Readonly<Record<string, ResolvedAdoptedGuest>>;
}
