import { TerraformVariable } from "cdktf";
import { WindowsVm } from "../../../constructs/windows-vm";
import { sshKeyFingerprint } from "../../../constructs/ssh-key-fingerprint";
import { hardenedVm, rawVm, RuleCase, SSH_KEY } from "../policy-fixtures";

const YOUNG_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl young@example.com";
const UNDATED_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4zXkFHbms+x4apDPXCoTPCpCKulrz9Nm+CY6wswxdC undated@example.com";
const UNKNOWN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBUSxhe0lHz/qM0kV7SBeSwWJjqhQPPbkLU532KPH6vE unknown@example.com";
const ISO = "local:iso/Win11_24H2_English_x64.iso";

export const VM_CASES: readonly RuleCase[] = [
  {
    ruleId: "PVE-CI-001",
    bad: {
      "a cloud-init password from a sensitive variable": (s) => {
        const pw = new TerraformVariable(s, "console_password", { type: "string", sensitive: true });
        hardenedVm(s, "web", { user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: pw.stringValue } });
      },
    },
    good: (s) => hardenedVm(s, "web"),
  },
  {
    ruleId: "PVE-CI-002",
    bad: {
      "a user account with an empty key list": (s) => rawVm(s, "raw", { initialization: { userAccount: { username: "ops", keys: [] } } }),
      "a user account without keys": (s) => rawVm(s, "raw", { initialization: { userAccount: { username: "ops" } } }),
    },
    good: (s) => {
      hardenedVm(s, "web");
      rawVm(s, "raw", { initialization: { ipConfig: [{ ipv4: { address: "dhcp" } }] } });
    },
  },
  {
    ruleId: "PVE-CI-003",
    bad: { "root as the cloud-init user": (s) => rawVm(s, "raw", { initialization: { userAccount: { username: "root", keys: [SSH_KEY] } } }) },
    good: (s) => rawVm(s, "raw", { initialization: { userAccount: { username: "ops", keys: [SSH_KEY] } } }),
  },
  {
    ruleId: "PVE-CI-004",
    bad: {
      "a hardened VM with custom user data": (s) => hardenedVm(s, "web", { userData: { packages: ["nginx"] } }),
      "a raw VM referencing a snippet": (s) => rawVm(s, "raw", { initialization: { userDataFileId: "local:snippets/raw.yaml" } }),
    },
    good: (s) => hardenedVm(s, "web"),
  },
  {
    ruleId: "PVE-CI-005",
    // SSH_KEY was added 2025-01-01 (516 days before `now`), YOUNG_KEY a month before; UNDATED_KEY has no date.
    options: {
      now: new Date("2026-06-01T12:00:00Z"),
      sshKeyAges: {
        maxAgeDays: 365,
        keys: [
          { fingerprint: sshKeyFingerprint(SSH_KEY), added: "2025-01-01" },
          { fingerprint: sshKeyFingerprint(YOUNG_KEY), added: "2026-05-01" },
          { fingerprint: sshKeyFingerprint(UNDATED_KEY) },
        ],
      },
    },
    bad: {
      "a key older than the allowed age": (s) => hardenedVm(s, "web"),
      "a key whose date was not recorded": (s) => hardenedVm(s, "web", { user: { sshKeys: [YOUNG_KEY, UNDATED_KEY] } }),
      "a key the record does not know": (s) => rawVm(s, "raw", { initialization: { userAccount: { username: "ops", keys: [UNKNOWN_KEY] } } }),
    },
    good: (s) => {
      hardenedVm(s, "web", { user: { sshKeys: [YOUNG_KEY] } });
      // A template never runs: its keys are those of its clones.
      rawVm(s, "tpl", { template: true, initialization: { userAccount: { username: "ops", keys: [SSH_KEY] } } });
    },
  },
  {
    ruleId: "PVE-AG-001",
    bad: {
      "agent.enabled false": (s) => rawVm(s, "raw", { agent: { enabled: false } }),
      "no agent block (provider default: off)": (s) => rawVm(s, "raw", { agent: undefined }),
    },
    good: (s) => hardenedVm(s, "web"),
  },
  {
    ruleId: "PVE-AG-002",
    bad: {
      "agent enabled without timeout (15m default)": (s) => rawVm(s, "raw", { agent: { enabled: true } }),
      "agent timeout 20m": (s) => rawVm(s, "raw", { agent: { enabled: true, timeout: "20m" } }),
      "agent timeout 1h": (s) => rawVm(s, "raw", { agent: { enabled: true, timeout: "1h" } }),
    },
    good: (s) => {
      hardenedVm(s, "web");
      rawVm(s, "raw", { agent: { enabled: true, timeout: "10m" } });
    },
  },
  {
    ruleId: "PVE-HW-001",
    bad: {
      "a raw Windows VM on SeaBIOS": (s) => rawVm(s, "win", { operatingSystem: { type: "win11" }, tpmState: { version: "v2.0" } }),
      "a Windows VM on OVMF without pre-enrolled keys": (s) =>
        rawVm(s, "win", { operatingSystem: { type: "win10" }, bios: "ovmf", efiDisk: { type: "4m", preEnrolledKeys: false }, tpmState: {} }),
      "a clone of a Windows template without an EFI disk": (s) => {
        const t = rawVm(s, "wintpl", { vmId: 9100, template: true, operatingSystem: { type: "win11" }, tpmState: {} });
        rawVm(s, "win", { clone: { vmId: t.vmId } });
      },
    },
    good: (s) => {
      new WindowsVm(s, "win", { node: "pve1", name: "win-1", installerIsoFileId: ISO });
      const t = rawVm(s, "wintpl", {
        vmId: 9100,
        template: true,
        operatingSystem: { type: "win11" },
        bios: "ovmf",
        efiDisk: { preEnrolledKeys: true },
        tpmState: {},
      });
      rawVm(s, "clone", { clone: { vmId: t.vmId } });
    },
  },
  {
    ruleId: "PVE-HW-002",
    bad: {
      "a Windows VM without tpm_state": (s) => rawVm(s, "win", { operatingSystem: { type: "win11" }, bios: "ovmf", efiDisk: { preEnrolledKeys: true } }),
      "a Windows VM with a TPM 1.2": (s) =>
        rawVm(s, "win", { operatingSystem: { type: "win11" }, bios: "ovmf", efiDisk: { preEnrolledKeys: true }, tpmState: { version: "v1.2" } }),
    },
    good: (s) => {
      new WindowsVm(s, "win", { node: "pve1", name: "win-1", installerIsoFileId: ISO });
      rawVm(s, "linux", { operatingSystem: { type: "l26" } });
    },
  },
  {
    ruleId: "PVE-HW-003",
    bad: {
      "cpu host with VMs on two nodes": (s) => {
        hardenedVm(s, "a", { cpuType: "host" });
        hardenedVm(s, "b", { node: "pve2" });
      },
    },
    good: (s) => {
      hardenedVm(s, "a");
      hardenedVm(s, "b", { node: "pve2" });
    },
  },
  {
    ruleId: "PVE-HW-004",
    bad: {
      "a disk on local-lvm without discard": (s) => rawVm(s, "raw", { disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: 8 }] }),
      "a disk with no datastore (provider default local-lvm) and discard ignore": (s) =>
        rawVm(s, "raw", { disk: [{ interface: "virtio0", size: 8, discard: "ignore" }] }),
      "a disk on a ZFS pool without discard": (s) => rawVm(s, "raw", { disk: [{ interface: "scsi0", datastoreId: "tank-zfs", size: 8 }] }),
    },
    good: (s) => {
      hardenedVm(s, "web");
      rawVm(s, "nfs", { disk: [{ interface: "scsi0", datastoreId: "nfs-images", size: 8 }] });
    },
  },
  {
    ruleId: "PVE-NET-001",
    bad: {
      "a prod VM on vmbr0 without VLAN": (s) => hardenedVm(s, "web", { stage: "prod" }),
      "a staging VM on vmbr0 without VLAN": (s) => hardenedVm(s, "web", { stage: "staging" }),
    },
    good: (s) => {
      hardenedVm(s, "web", { stage: "prod", vlanId: 20 });
      hardenedVm(s, "api", { stage: "prod", bridge: "v20" });
      hardenedVm(s, "lab", { stage: "dev" });
    },
  },
];
