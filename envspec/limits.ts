/**
 * Hard limits of an environment spec. They exist so that a typo cannot ask Proxmox VE for
 * 100,000 VMs or a 1 PiB disk; raise one only together with its test and docs/environment-spec.md.
 */
export const LIMITS = {
  /** VMs per tier. */
  countPerTier: { min: 1, max: 500 },
  /** VMs in the whole environment (sum of the tier counts). */
  totalVms: 2000,
  cores: { min: 1, max: 128 },
  memoryMiB: { min: 512, max: 1_048_576 },
  diskGiB: { min: 1, max: 65_536 },
  /** Proxmox VE accepts VM ids 100..999999999. */
  vmId: { min: 100, max: 999_999_999 },
  vlan: { min: 1, max: 4094 },
  /** A VM name `<env>-<tier>-<n>` is a DNS label. */
  dnsLabelLength: 63,
  nodes: 64,
  tiers: 50,
  templates: 16,
  tagsPerTier: 16,
  sshKeys: 32,
  /** `cloudInit.maxKeyAgeDays`: a day to ten years. */
  keyAgeDays: { min: 1, max: 3650 },
  firewallIntents: 200,
  haRetries: { min: 0, max: 10 },
  /** Data disks per VM (scsi1..scsi16). */
  dataDisksPerVm: 16,
  /** NICs per VM besides the first (net1..net8). */
  extraNicsPerVm: 8,
  /** tang servers of dataProtection. */
  tangServers: 16,
  retention: { keepDaily: 366, keepWeekly: 520, keepMonthly: 1200 },
} as const;
