import { z } from "zod";
import { STAGES } from "../constructs/stage";
import { boundedInt } from "./bounded-int";
import { describeValue } from "./describe-value";
import { DNS_LABEL, dnsLabel, dnsLabelKeyMessage, nodeName, userName } from "./identifiers";
import { FirewallSchema } from "./firewall-schema";
import { LIMITS } from "./limits";
import { NetworkSchema } from "./network-schema";
import { BackupsSchema, HaSchema } from "./operations-schema";
import { sshKeyEntry } from "./ssh-key-entry";
import { TemplateSchema } from "./template-schema";
import { ContainerTemplateSchema } from "./container-template-schema";
import { TierSchema } from "./tier-schema";
import { WindowsInstallerSchema } from "./windows-installer-schema";
import { AdoptedGuestSchema } from "./adopted-schema";
import { DataProtectionSchema } from "./data-protection-schema";

// The stages are the constructs' (one home); re-exported here for the spec's users.
export { STAGES } from "../constructs/stage";
export type { Stage } from "../constructs/stage";

const nameKey = () => z.string().regex(DNS_LABEL, { error: (issue) => dnsLabelKeyMessage(issue.input) });

const tooMany = (max: number) => (issue: { input?: unknown }) =>
  `must have at most ${max} entries, got ${Array.isArray(issue.input) ? issue.input.length : describeValue(issue.input)}`;

const CloudInitSchema = z
  .strictObject({
    user: userName().refine((user) => user !== "root", {
      error: "must not be root: hardened VMs disable root login over SSH; use a named user (it gets sudo)",
    }),
    sshKeys: z
      .array(sshKeyEntry())
      .min(1, { error: "must list at least one SSH public key: password login is disabled on hardened VMs" })
      .max(LIMITS.sshKeys, { error: tooMany(LIMITS.sshKeys) })
      .describe("Public keys allowed to log in as user. Public keys are data, not secrets. `proxmox-cdk rotate-keys` changes them."),
    maxKeyAgeDays: boundedInt(
      LIMITS.keyAgeDays.min,
      LIMITS.keyAgeDays.max,
      "Oldest an SSH key may be, in days (policy rule PVE-CI-005). Default: 365 in staging and prod, 730 in dev.",
    ).optional(),
  })
  .describe("cloud-init user of every VM.");

const VmIdRangeSchema = z
  .strictObject({
    start: boundedInt(LIMITS.vmId.min, LIMITS.vmId.max, "First VM id (100..999999999)."),
    end: boundedInt(LIMITS.vmId.min, LIMITS.vmId.max, "Last VM id, inclusive (100..999999999)."),
  })
  .describe("VM ids the environment may use; without it Proxmox VE picks free ids.");

/**
 * Structure of an environment spec (`environments/<name>.yaml`): types, limits, unknown keys.
 * Rules that relate fields (tier references, totals, subnets) live in {@link crossCheckEnvironment};
 * {@link EnvironmentSpecSchema} and {@link validateEnvironment} apply both.
 */
export const EnvironmentShape = z
  .strictObject({
    name: dnsLabel("Environment name; VMs are named <name>-<tier>-<n>."),
    stage: z.enum(STAGES).describe("Stage: dev, staging or prod. It selects hardened defaults."),
    nodes: z
      .array(nodeName())
      .min(1, { error: "must list at least one Proxmox VE node" })
      .max(LIMITS.nodes, { error: tooMany(LIMITS.nodes) })
      .describe("Proxmox VE nodes the VMs are placed on."),
    network: NetworkSchema,
    templates: z.record(nameKey(), TemplateSchema).describe("Cloud images by name."),
    containerTemplates: z
      .record(nameKey(), ContainerTemplateSchema)
      .optional()
      .describe("LXC OS templates by name, for tiers of kind container. Default: none."),
    windowsInstallers: z
      .record(nameKey(), WindowsInstallerSchema)
      .optional()
      .describe("Windows installer ISOs by name, for tiers with os: windows. Default: none."),
    tiers: z.record(nameKey(), TierSchema).describe("Tiers by name; a tier is a group of identical VMs."),
    firewall: FirewallSchema.optional(),
    protection: z.boolean().optional().describe("Set the PVE protection flag (no delete) on every VM. Default: true in prod, false otherwise."),
    backups: BackupsSchema.optional(),
    ha: HaSchema.optional(),
    placement: z.enum(["spread", "pack"]).optional().describe("spread: VMs of a tier round-robin across nodes; pack: fill nodes in order. Default: spread."),
    stateBackend: z
      .enum(["local", "pg"])
      .optional()
      .describe("Terraform state: local file, or PostgreSQL whose connection string comes from the environment, never this file. Default: local."),
    cloudInit: CloudInitSchema,
    vmIdRange: VmIdRangeSchema.optional(),
    adopted: z
      .record(nameKey(), AdoptedGuestSchema)
      .optional()
      .describe("Running guests the environment takes over by name (written by proxmox-cdk import). Default: none."),
    dataProtection: DataProtectionSchema.optional(),
  })
  .describe("proxmox-cdk environment spec.");

/** An environment spec as written (optional fields may be absent); see resolveDefaults for the filled-in form. */
export type EnvironmentSpec = z.output<typeof EnvironmentShape>;
