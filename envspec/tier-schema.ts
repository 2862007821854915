import { z } from "zod";
import { boundedInt } from "./bounded-int";
import { describeValue } from "./describe-value";
import { dnsLabel, tag } from "./identifiers";
import { IPV4_CIDR_PATTERN, formatIpv4, networkAddress, parseCidr } from "./ipv4";
import { LIMITS } from "./limits";
import { UserDataSchema } from "./user-data-schema";
import { WINDOWS_DEFAULTS as WIN_DEF, WINDOWS_MINIMUMS as WIN_MIN } from "../constructs/windows-requirements";
import { DataDisksSchema, ExtraNicsSchema } from "./data-disk-schema";

const IPV4_ALLOCATION_PATTERN = new RegExp(`^(dhcp|${IPV4_CIDR_PATTERN.source.slice(1, -1)})$`);

/**
 * How VMs of a tier get their IPv4 address: `dhcp`, or a CIDR pool (`10.30.0.16/28`) inside the
 * network's subnet from which the n-th VM takes the n-th usable address.
 */
function ipv4Allocation() {
  const message = (input: unknown) => `must be "dhcp" or an IPv4 pool in CIDR form like 10.30.0.16/28, got ${describeValue(input)}`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : message(issue.input)) })
    .regex(IPV4_ALLOCATION_PATTERN, { error: (issue) => message(issue.input), abort: true })
    .superRefine((value, ctx) => {
      if (value === "dhcp") return;
      const pool = parseCidr(value)!;
      if (networkAddress(pool) !== pool.address) {
        ctx.addIssue({
          code: "custom",
          input: value,
          message: `host bits must be zero: ${value} is not a network address; did you mean ${formatIpv4(networkAddress(pool))}/${pool.prefix}?`,
        });
      }
    })
    .describe('IPv4 allocation: "dhcp" or a CIDR pool inside the network subnet (e.g. 10.30.0.16/28). Default: dhcp.');
}

/** Container features a tier may turn on; each one on is reported by the policy pack. */
const ContainerFeaturesSchema = z
  .strictObject({
    nesting: z
      .boolean()
      .optional()
      .describe("Allow nesting (exposes the node's procfs and sysfs; systemd and docker want it). Reported by PVE-CT-002. Default: false."),
    keyctl: z
      .boolean()
      .optional()
      .describe("Allow the keyctl() system call (docker wants it; PVE lets only root@pam set it). Reported by PVE-CT-003. Default: false."),
  })
  .describe("Container features (kind: container only). Default: none.");

/** A group of identical VMs or containers (`web`, `db`, ...) named `<env>-<tier>-<n>`. */
export const TierSchema = z
  .strictObject({
    count: boundedInt(LIMITS.countPerTier.min, LIMITS.countPerTier.max, "Number of VMs (1..500). Default: 1.").optional(),
    cores: boundedInt(LIMITS.cores.min, LIMITS.cores.max, "vCPU cores per VM (1..128). Default: 2.").optional(),
    memoryMiB: boundedInt(LIMITS.memoryMiB.min, LIMITS.memoryMiB.max, "Memory per VM in MiB (512..1048576). Default: 2048.").optional(),
    diskGiB: boundedInt(LIMITS.diskGiB.min, LIMITS.diskGiB.max, "Boot disk per VM in GiB (1..65536). Default: 20.").optional(),
    template: dnsLabel(
      "Name of the template the guests come from: a key of templates (kind: vm), of containerTemplates (kind: container) or of windowsInstallers (os: windows).",
    ),
    tags: z
      .array(tag())
      .max(LIMITS.tagsPerTier, { error: (issue) => `must have at most ${LIMITS.tagsPerTier} tags, got ${describeLength(issue.input)}` })
      .optional()
      .describe("Proxmox VE tags of every VM of the tier. Default: none."),
    os: z
      .enum(["linux", "windows"])
      .optional()
      .describe(
        `Guest OS family. windows: WindowsVm guests (UEFI with Secure Boot, TPM 2.0, VirtIO) booting a windowsInstallers ISO, sized at least ${WIN_MIN.cores} cores, ${WIN_MIN.memoryMiB} MiB, ${WIN_MIN.diskGiB} GiB (defaults ${WIN_DEF.cores}, ${WIN_DEF.memoryMiB}, ${WIN_DEF.diskGiB}). Default: linux.`,
      ),
    ipv4: ipv4Allocation().optional(),
    userData: UserDataSchema.optional(),
    kind: z
      .enum(["vm", "container"])
      .optional()
      .describe(
        "vm: hardened VMs cloned from a template; container: hardened LXC containers from a containerTemplate (static ipv4 pool required). Default: vm.",
      ),
    features: ContainerFeaturesSchema.optional(),
    dataDisks: DataDisksSchema.optional(),
    nics: ExtraNicsSchema.optional(),
  })
  .describe("A tier: count identical VMs or containers.");

function describeLength(input: unknown): string {
  return Array.isArray(input) ? String(input.length) : describeValue(input);
}
