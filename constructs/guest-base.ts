import type { VirtualEnvironmentVmConfig } from "../.gen/providers/proxmox/virtual-environment-vm";
import { MANAGED_TAG } from "./managed-tag";
import { Stage } from "./stage";
import { renderNic } from "./vm-network";

/** What every VM of this library (HardenedVm, WindowsVm) is configured from (containers share {@link guestTags} and {@link guestProtection}). */
export interface GuestBaseProps {
  readonly node: string;
  readonly vmId?: number;
  readonly name: string;
  readonly description: string;
  readonly stage: Stage;
  /** Tags naming the kind of guest (`windows`), next to `proxmox-cdk` and the stage. */
  readonly kindTags: readonly string[];
  /** The user's tags. */
  readonly tags?: readonly string[];
  /** Deletion protection; undefined means on in prod. */
  readonly protection?: boolean;
  /** Start on boot; undefined means true. */
  readonly onBoot?: boolean;
  readonly cpuType?: string;
  readonly cores: number;
  readonly memoryMiB: number;
  /** Guest agent wait, e.g. `3m`, and whether to wait for an IPv4 address. */
  readonly agent: { readonly timeout: string; readonly waitForIpv4: boolean };
  readonly bridge?: string;
  readonly vlanId?: number;
  /** NIC firewall flag; undefined means on. */
  readonly nicFirewall?: boolean;
}

/** A guest's tags: `proxmox-cdk`, its kind, its stage and the user's, sorted and unique. */
export function guestTags(kindTags: readonly string[], stage: Stage, tags: readonly string[] = []): string[] {
  return [...new Set([MANAGED_TAG, ...kindTags, stage, ...tags])].sort();
}

/** A guest's deletion protection: as given, else on in prod. */
export function guestProtection(protection: boolean | undefined, stage: Stage): boolean {
  return protection ?? stage === "prod";
}

/**
 * The settings every guest shares, in one place: tags, protection, start/stop behaviour,
 * virtio-scsi-single, a migratable CPU type, memory, the guest agent and a firewalled VirtIO NIC.
 * Constructs add what is theirs (disks, OS type, cloud-init, UEFI) to the result.
 */
export function guestBaseConfig(p: GuestBaseProps): VirtualEnvironmentVmConfig {
  return {
    nodeName: p.node,
    vmId: p.vmId,
    name: p.name,
    description: p.description,
    tags: guestTags(p.kindTags, p.stage, p.tags),
    started: true,
    onBoot: p.onBoot ?? true,
    protection: guestProtection(p.protection, p.stage),
    stopOnDestroy: true,
    scsiHardware: "virtio-scsi-single",
    cpu: { type: p.cpuType ?? "x86-64-v2-AES", cores: p.cores, sockets: 1 },
    memory: { dedicated: p.memoryMiB },
    agent: { enabled: true, trim: true, type: "virtio", timeout: p.agent.timeout, ...(p.agent.waitForIpv4 ? { waitForIp: { ipv4: true } } : {}) },
    networkDevice: [renderNic({ bridge: p.bridge ?? "vmbr0", vlanId: p.vlanId, firewall: p.nicFirewall ?? true })],
  };
}
