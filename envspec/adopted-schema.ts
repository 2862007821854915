import { z } from "zod";
import { boundedInt } from "./bounded-int";
import { describeValue } from "./describe-value";
import { bridgeName, dnsLabel, nodeName, patterned, poolId, tag } from "./identifiers";
import { IPV4_CIDR_PATTERN, ipv4Address } from "./ipv4";
import { LIMITS } from "./limits";

const IPV4_HOST_PATTERN = new RegExp(`^(dhcp|${IPV4_CIDR_PATTERN.source.slice(1, -1)})$`);

/** The root disk of an adopted guest, as it is: a VM's SCSI disk, or a container's root file system. */
const AdoptedDiskSchema = z
  .strictObject({
    interface: patterned(
      /^scsi([0-9]|[12][0-9]|30)$/,
      "a SCSI disk such as scsi0",
      "Bus and index of the VM's disk (scsi0..scsi30); not for containers.",
    ).optional(),
    storage: patterned(
      /^[a-zA-Z][a-zA-Z0-9_.-]*$/,
      "a storage id such as local-lvm",
      "Proxmox VE storage that holds the disk (moving it would replace a container).",
    ),
    sizeGiB: boundedInt(LIMITS.diskGiB.min, LIMITS.diskGiB.max, "Disk size in GiB as it is (growing is in place; shrinking is refused)."),
  })
  .describe("The guest's root disk as it runs.");

/** The NIC of an adopted guest (net0), as it is. */
const AdoptedNetworkSchema = z
  .strictObject({
    bridge: bridgeName().describe("Bridge or SDN vnet of net0, as it is."),
    vlan: boundedInt(LIMITS.vlan.min, LIMITS.vlan.max, "VLAN tag of net0 (1..4094). Default: untagged.").optional(),
  })
  .describe("The guest's network device (net0) as it runs.");

/**
 * A guest that already runs in Proxmox VE and that the environment takes over (`proxmox-cdk
 * import` writes these): Terraform imports it, so the first plan changes it in place — firewall on
 * with inbound DROP, agent, key-only cloud-init user, start on boot, protection and backups per
 * stage — and never replaces it. Node, id, disk and network are the live values.
 */
export const AdoptedGuestSchema = z
  .strictObject({
    kind: z.enum(["vm", "container"]).optional().describe("vm or container. Default: vm."),
    vmid: boundedInt(LIMITS.vmId.min, LIMITS.vmId.max, "The guest's id in Proxmox VE (100..999999999)."),
    node: nodeName().describe("Node the guest runs on (moving it would replace it)."),
    cores: boundedInt(LIMITS.cores.min, LIMITS.cores.max, "vCPU cores (1..128)."),
    memoryMiB: boundedInt(LIMITS.memoryMiB.min, LIMITS.memoryMiB.max, "Memory in MiB (512..1048576)."),
    swapMiB: boundedInt(0, LIMITS.memoryMiB.max, "Swap in MiB (containers only). Default: 0.").optional(),
    disk: AdoptedDiskSchema,
    network: AdoptedNetworkSchema,
    ipv4: z
      .string({
        error: (issue) =>
          issue.input === undefined ? undefined : `must be "dhcp" or an address with prefix like 10.0.0.5/24, got ${describeValue(issue.input)}`,
      })
      .regex(IPV4_HOST_PATTERN, { error: (issue) => `must be "dhcp" or an address with prefix like 10.0.0.5/24, got ${describeValue(issue.input)}` })
      .optional()
      .describe('IPv4 of net0: "dhcp" or an address with prefix (containers need a static one). Default: dhcp.'),
    gateway: ipv4Address("Default gateway with a static ipv4. Default: none.").optional(),
    tier: dnsLabel("Tier whose inbound firewall intents the guest receives too. Default: none (only DHCP and nothing else in).").optional(),
    tags: z
      .array(tag())
      .max(LIMITS.tagsPerTier, {
        error: (issue) => `must have at most ${LIMITS.tagsPerTier} tags, got ${Array.isArray(issue.input) ? issue.input.length : describeValue(issue.input)}`,
      })
      .optional()
      .describe("The guest's own Proxmox VE tags (proxmox-cdk and the stage are added). Default: none."),
    pool: poolId("Resource pool the guest is in, kept as it is. Default: none.").optional(),
  })
  .describe("A running guest taken over by the environment (Terraform import, hardened in place).");

/** An adopted guest as written in the spec. */
export type AdoptedGuestSpec = z.output<typeof AdoptedGuestSchema>;
