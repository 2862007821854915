import { BackupJob as BackupJobResource } from "../../../.gen/providers/proxmox/backup-job";
import { VirtualEnvironmentDownloadFile } from "../../../.gen/providers/proxmox/virtual-environment-download-file";
import { BackupJob } from "../../../constructs/backup-job";
import { HaResource } from "../../../constructs/ha-resource";
import { ResourcePool } from "../../../constructs/resource-pool";
import { Lazy, TerraformStack, TerraformVariable } from "cdktf";
import { StorageDirectory } from "../../../.gen/providers/proxmox/storage-directory";
import { StoragePbs } from "../../../.gen/providers/proxmox/storage-pbs";
import { PbsEncryption } from "../../../constructs/pbs-encryption";
import { PbsStorage } from "../../../constructs/pbs-storage";
import { hardenedVm, rawVm, RuleCase, templateOf } from "../policy-fixtures";

/** A PBS storage whose password comes from a sensitive variable, as PbsStorage requires. */
function pbsStorage(s: TerraformStack, encryption?: PbsEncryption): PbsStorage {
  const password = new TerraformVariable(s, "pbs_password", { type: "string", sensitive: true }).value;
  return new PbsStorage(s, "pbs", { storageId: "pbs-prod", server: "pbs.example.invalid", datastore: "store1", username: "backup@pbs", password, encryption });
}

const IMAGE = "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2";

export const OPS_CASES: readonly RuleCase[] = [
  {
    ruleId: "PVE-OPS-001",
    bad: {
      "a prod VM with protection false": (s) => hardenedVm(s, "web", { stage: "prod", protection: false }),
      "a raw VM tagged prod without protection": (s) => rawVm(s, "raw", { tags: ["prod"] }),
    },
    good: (s) => {
      hardenedVm(s, "web", { stage: "prod" });
      hardenedVm(s, "lab", { stage: "dev" });
    },
  },
  {
    ruleId: "PVE-OPS-002",
    bad: {
      "a prod VM in no backup job": (s) => hardenedVm(s, "web", { stage: "prod" }),
      "a prod VM whose id no job lists": (s) => {
        hardenedVm(s, "web", { stage: "prod", vmId: 101 });
        new BackupJob(s, "b", { jobId: "nightly", storage: "pbs", vmIds: [102] });
      },
      "a prod VM only in a disabled job": (s) => {
        hardenedVm(s, "web", { stage: "prod", vmId: 101 });
        new BackupJobResource(s, "b", { id: "off", schedule: "daily", storage: "pbs", vmid: ["101"], enabled: false, pruneBackups: { "keep-daily": "7" } });
      },
    },
    good: (s) => {
      const web = hardenedVm(s, "web", { stage: "prod" });
      new BackupJob(s, "by-id", { jobId: "by-id", storage: "pbs", vmIds: [web.vmId] });
      const pool = new ResourcePool(s, "pool", { poolId: "prod" });
      hardenedVm(s, "api", { stage: "prod", poolId: pool.poolId });
      new BackupJob(s, "by-pool", { jobId: "by-pool", storage: "pbs", pool: pool.poolId });
      hardenedVm(s, "lab", { stage: "dev" });
    },
  },
  {
    ruleId: "PVE-OPS-003",
    bad: {
      "a raw backup job without prune_backups or maxfiles": (s) =>
        new BackupJobResource(s, "b", { id: "nightly", schedule: "daily", storage: "pbs", all: true }),
    },
    good: (s) => new BackupJob(s, "b", { jobId: "nightly", storage: "pbs", vmIds: [101] }),
  },
  {
    ruleId: "PVE-OPS-004",
    bad: {
      "a prod VM without HA": (s) => hardenedVm(s, "web", { stage: "prod", vmId: 101 }),
      "a prod VM whose HA resource is disabled": (s) => {
        hardenedVm(s, "web", { stage: "prod", vmId: 101 });
        new HaResource(s, "ha", { vmId: 101, state: "disabled" });
      },
    },
    good: (s) => {
      hardenedVm(s, "web", { stage: "prod", vmId: 101 });
      new HaResource(s, "ha", { vmId: 101 });
      hardenedVm(s, "lab", { stage: "dev" });
    },
  },
  {
    ruleId: "PVE-OPS-005",
    bad: { "a linked clone in prod": (s) => hardenedVm(s, "web", { stage: "prod", linkedClone: true }) },
    good: (s) => {
      hardenedVm(s, "web", { stage: "prod" });
      hardenedVm(s, "lab", { stage: "dev", linkedClone: true });
    },
  },
  {
    ruleId: "PVE-OPS-006",
    bad: { "a raw VM without tags": (s) => rawVm(s, "raw", { tags: undefined }) },
    good: (s) => {
      hardenedVm(s, "web");
      templateOf(s);
    },
  },
  {
    ruleId: "PVE-OPS-007",
    bad: {
      "a disabled backup job": (s) =>
        new BackupJobResource(s, "b", { id: "off", schedule: "daily", storage: "pbs", all: true, enabled: false, pruneBackups: { "keep-last": "3" } }),
    },
    good: (s) => new BackupJob(s, "b", { jobId: "nightly", storage: "pbs", vmIds: [101] }),
  },
  {
    ruleId: "PVE-OPS-008",
    bad: { "a prod VM that does not start on boot": (s) => hardenedVm(s, "web", { stage: "prod", onBoot: false }) },
    good: (s) => {
      hardenedVm(s, "web", { stage: "prod" });
      hardenedVm(s, "lab", { stage: "dev", onBoot: false });
    },
  },
  {
    ruleId: "PVE-OPS-009",
    options: { stage: "prod" },
    bad: {
      "a prod job onto a PBS storage without encryption": (s) => {
        const pbs = pbsStorage(s, PbsEncryption.unencrypted("the PBS host has encrypted disks only"));
        new BackupJob(s, "b", { jobId: "nightly", storage: pbs.storageId, vmIds: [101] });
      },
      "a prod job onto a raw PBS storage resource without a key": (s) => {
        new StoragePbs(s, "raw", {
          id: "pbs-raw",
          server: "pbs.example.invalid",
          datastore: "d",
          username: "u@pbs",
          password: new TerraformVariable(s, "p", { type: "string", sensitive: true }).stringValue,
        });
        new BackupJob(s, "b", { jobId: "nightly", storage: "pbs-raw", vmIds: [101] });
      },
      "a prod job onto a directory storage": (s) => {
        new StorageDirectory(s, "dir", { id: "backups", path: "/srv/backups", content: ["backup"] });
        new BackupJob(s, "b", { jobId: "nightly", storage: "backups", vmIds: [101] });
      },
      "a prod job onto PVE's built-in local storage": (s) => new BackupJob(s, "b", { jobId: "nightly", storage: "local", vmIds: [101] }),
    },
    good: (s) => {
      const pbs = pbsStorage(s);
      new BackupJob(s, "b", { jobId: "nightly", storage: pbs.storageId, vmIds: [101] });
      const key = new TerraformVariable(s, "pbs_key", { type: "string", sensitive: true }).value;
      new StoragePbs(s, "keyed", {
        id: "pbs-keyed",
        server: "pbs.example.invalid",
        datastore: "d",
        username: "u@pbs",
        password: new TerraformVariable(s, "p", { type: "string", sensitive: true }).stringValue,
        encryptionKey: key,
      });
      new BackupJob(s, "c", { jobId: "keyed", storage: "pbs-keyed", vmIds: [101] });
    },
  },
  {
    ruleId: "PVE-OPS-010",
    bad: {
      "a prod VM with a data disk marked unencrypted": (s) =>
        hardenedVm(s, "db", { stage: "prod", dataDisks: [{ sizeGiB: 50 }, { sizeGiB: 10, encrypted: false }] }),
      "a raw prod VM with a second disk without a serial": (s) =>
        rawVm(s, "raw", {
          tags: ["prod"],
          disk: [
            { interface: "scsi0", datastoreId: "local-lvm", size: 8, discard: "on" },
            { interface: "scsi1", datastoreId: "local-lvm", size: 50, discard: "on" },
          ],
        }),
    },
    good: (s) => {
      hardenedVm(s, "db", { stage: "prod", dataDisks: [{ sizeGiB: 50 }], diskUnlock: "tpm2" });
      hardenedVm(s, "lab", { stage: "dev", dataDisks: [{ sizeGiB: 10, encrypted: false }] });
    },
  },
  {
    ruleId: "PVE-IMG-001",
    bad: {
      "a download without checksum": (s) =>
        new VirtualEnvironmentDownloadFile(s, "img", { nodeName: "pve1", datastoreId: "local", contentType: "import", url: IMAGE }),
    },
    good: (s) => templateOf(s),
  },
  {
    ruleId: "PVE-IMG-002",
    bad: {
      "a download with verify false": (s) =>
        new VirtualEnvironmentDownloadFile(s, "img", {
          nodeName: "pve1",
          datastoreId: "local",
          contentType: "iso",
          url: IMAGE,
          checksum: "ab".repeat(32),
          checksumAlgorithm: "sha256",
          verify: false,
        }),
    },
    good: (s) => templateOf(s),
  },
  {
    ruleId: "PVE-POL-001",
    bad: {
      "a VM whose description is a Lazy that throws": (s) =>
        rawVm(s, "broken", {
          description: Lazy.stringValue({
            produce: () => {
              throw new Error("the inventory lookup failed");
            },
          }),
        }),
    },
    good: (s) => rawVm(s, "fine", { description: Lazy.stringValue({ produce: () => "resolved at synth" }) }),
  },
];
