import { z } from "zod";
import { boundedInt } from "./bounded-int";
import { bridgeName, patterned } from "./identifiers";
import { LIMITS } from "./limits";

/** A data disk of every VM of a tier, attached after the boot disk (scsi1, scsi2, … in list order). */
export const DataDiskSchema = z
  .strictObject({
    sizeGiB: boundedInt(LIMITS.diskGiB.min, LIMITS.diskGiB.max, "Size in GiB (1..65536)."),
    storage: patterned(
      /^[a-z][a-z0-9_.-]*[a-z0-9]$/,
      'a storage id (lowercase letters, digits, "-", "_" and ".", starting with a letter)',
      "Proxmox VE storage of the disk. Default: the boot disk's (local-lvm).",
    ).optional(),
    encrypted: z
      .boolean()
      .optional()
      .describe("LUKS2 in the guest, unlocked at boot per dataProtection. false in prod is reported by PVE-OPS-010. Default: true."),
  })
  .describe("A data disk; the list order is the disks' identity (append new ones at the end).");

/** A NIC after the first of every VM of a tier. */
export const ExtraNicSchema = z
  .strictObject({
    bridge: bridgeName(),
    vlan: boundedInt(LIMITS.vlan.min, LIMITS.vlan.max, "802.1Q tag on the bridge (1..4094). Default: untagged.").optional(),
    firewall: z.boolean().optional().describe("PVE firewall on this NIC; false is reported by PVE-FW-002. Default: true."),
  })
  .describe("An additional NIC (net1, net2, … in list order); cloud-init configures only the first NIC.");

const tooMany = (max: number, what: string) => (issue: { input?: unknown }) =>
  `must have at most ${max} ${what}, got ${Array.isArray(issue.input) ? issue.input.length : "more"}`;

/** A tier's `dataDisks`. */
export const DataDisksSchema = z
  .array(DataDiskSchema)
  .max(LIMITS.dataDisksPerVm, { error: tooMany(LIMITS.dataDisksPerVm, "data disks") })
  .describe("Data disks of every VM of the tier (kind: vm). Default: none.");

/** A tier's `nics`. */
export const ExtraNicsSchema = z
  .array(ExtraNicSchema)
  .max(LIMITS.extraNicsPerVm, { error: tooMany(LIMITS.extraNicsPerVm, "extra NICs") })
  .describe("NICs after the first of every VM of the tier (kind: vm). Default: none.");
