import { DEFAULT_STORAGES, KEY_FINGERPRINT, liveCluster, liveCt, livePbs, LiveRuleCase, liveVm, prodCluster, prodVm, SSHKEYS } from "../live-fixtures";

const anyIn = (extra: Record<string, unknown>) => ({ pos: 0, type: "in", action: "ACCEPT", enable: 1, ...extra });

/** One live fixture per rule that applies to live configuration (the synth fixtures are the other *-cases.ts files). */
export const LIVE_CASES: readonly LiveRuleCase[] = [
  {
    ruleId: "PVE-AG-001",
    bad: {
      "agent=0": liveCluster({ guests: [liveVm(100, { agent: "0" })] }),
      "no agent key (PVE default: off)": liveCluster({ guests: [liveVm(100, { agent: undefined })] }),
    },
    good: liveCluster({ guests: [liveVm(100, { agent: "1" })] }),
  },
  {
    ruleId: "PVE-CI-001",
    bad: { "a cipassword (PVE returns it masked)": liveCluster({ guests: [liveVm(100, { cipassword: "**********" })] }) },
    good: liveCluster(),
  },
  {
    ruleId: "PVE-CI-002",
    bad: { "ciuser without sshkeys": liveCluster({ guests: [liveVm(100, { sshkeys: undefined, cipassword: "**********" })] }) },
    good: liveCluster(),
  },
  {
    ruleId: "PVE-CI-003",
    bad: { "ciuser root": liveCluster({ guests: [liveVm(100, { ciuser: "root" })] }) },
    good: liveCluster({ guests: [liveVm(100, { ciuser: "ops", sshkeys: SSHKEYS })] }),
  },
  {
    ruleId: "PVE-FW-001",
    bad: {
      "firewall options enable=0": liveCluster({ guests: [liveVm(100, {}, { options: { enable: 0, policy_in: "DROP" } })] }),
      "no firewall options (PVE default: off)": liveCluster({ guests: [liveVm(100, {}, { options: {} })] }),
    },
    good: liveCluster(),
  },
  {
    ruleId: "PVE-FW-002",
    bad: {
      "net0 firewall=0": liveCluster({ guests: [liveVm(100, { net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=0" })] }),
      "net1 without the firewall flag": liveCluster({ guests: [liveVm(100, { net1: "e1000=BC:24:11:00:00:03,bridge=vmbr1" })] }),
    },
    good: liveCluster(),
  },
  {
    ruleId: "PVE-FW-003",
    bad: {
      "policy_in ACCEPT": liveCluster({ guests: [liveVm(100, {}, { options: { enable: 1, policy_in: "ACCEPT" } })] }),
      "policy_in REJECT": liveCluster({ guests: [liveVm(100, {}, { options: { enable: 1, policy_in: "REJECT" } })] }),
    },
    good: liveCluster({ guests: [liveVm(100, {}, { options: { enable: 1 } })] }),
  },
  {
    ruleId: "PVE-FW-004",
    bad: {
      "datacenter enable=0": liveCluster({ cluster: { options: { enable: 0 }, rules: [] } }),
      "datacenter options empty (PVE default: off)": liveCluster({ cluster: { options: {}, rules: [] } }),
    },
    good: liveCluster(),
  },
  {
    ruleId: "PVE-FW-006",
    bad: {
      "a VM rule accepting tcp/22 from anywhere": liveCluster({ guests: [liveVm(100, {}, { rules: [anyIn({ proto: "tcp", dport: "22" })] })] }),
      "a datacenter rule with the SSH macro from 0.0.0.0/0": liveCluster({
        cluster: { options: { enable: 1 }, rules: [anyIn({ macro: "SSH", source: "0.0.0.0/0" })] },
      }),
      "a security group accepting SSH from an IP set holding 0.0.0.0/0": liveCluster({
        cluster: {
          options: { enable: 1 },
          rules: [],
          ipsets: [{ name: "world", entries: [{ cidr: "0.0.0.0/0" }] }],
          groups: [{ group: "ssh", rules: [anyIn({ macro: "SSH", source: "+dc/world" })] }],
        },
      }),
    },
    good: liveCluster({
      guests: [
        liveVm(
          100,
          {},
          { rules: [anyIn({ proto: "tcp", dport: "22", source: "+admins" })], ipsets: [{ name: "admins", entries: [{ cidr: "192.0.2.0/24" }] }] },
        ),
      ],
    }),
  },
  {
    ruleId: "PVE-FW-007",
    bad: { "RDP from anywhere": liveCluster({ guests: [liveVm(100, {}, { rules: [anyIn({ proto: "tcp", dport: "3389" })] })] }) },
    good: liveCluster({ guests: [liveVm(100, {}, { rules: [anyIn({ proto: "tcp", dport: "3389", source: "192.0.2.10" })] })] }),
  },
  {
    ruleId: "PVE-FW-008",
    bad: { "PostgreSQL from ::/0": liveCluster({ guests: [liveVm(100, {}, { rules: [anyIn({ proto: "tcp", dport: "5432", source: "::/0" })] })] }) },
    good: liveCluster({ guests: [liveVm(100, {}, { rules: [anyIn({ proto: "tcp", dport: "5432", source: "10.20.0.0/24" })] })] }),
  },
  {
    ruleId: "PVE-FW-009",
    bad: { "macfilter=0": liveCluster({ guests: [liveVm(100, {}, { options: { enable: 1, macfilter: 0 } })] }) },
    good: liveCluster({ guests: [liveVm(100, {}, { options: { enable: 1, macfilter: 1 } })] }),
  },
  {
    ruleId: "PVE-FW-010",
    bad: { "datacenter policy_in ACCEPT": liveCluster({ cluster: { options: { enable: 1, policy_in: "ACCEPT" }, rules: [] } }) },
    good: liveCluster({ cluster: { options: { enable: 1 }, rules: [] } }),
  },
  {
    ruleId: "PVE-HW-001",
    bad: {
      "Windows on SeaBIOS": liveCluster({ guests: [liveVm(100, { ostype: "win11" })] }),
      "Windows on OVMF without enrolled keys": liveCluster({
        guests: [liveVm(100, { ostype: "win11", bios: "ovmf", efidisk0: "local-lvm:vm-100-disk-1,efitype=4m,size=4M" })],
      }),
    },
    good: liveCluster({ guests: [liveVm(100, { ostype: "win11", bios: "ovmf", efidisk0: "local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M" })] }),
  },
  {
    ruleId: "PVE-HW-002",
    bad: {
      "Windows without a TPM": liveCluster({ guests: [liveVm(100, { ostype: "win11" })] }),
      "Windows with a TPM of PVE's default version (v1.2)": liveCluster({
        guests: [liveVm(100, { ostype: "win11", tpmstate0: "local-lvm:vm-100-disk-2,size=4M" })],
      }),
    },
    good: liveCluster({ guests: [liveVm(100, { ostype: "win11", tpmstate0: "local-lvm:vm-100-disk-2,size=4M,version=v2.0" })] }),
  },
  {
    ruleId: "PVE-HW-003",
    bad: { "cpu host in a 3-node cluster": liveCluster({ nodes: ["pve1", "pve2", "pve3"], guests: [liveVm(100, { cpu: "host" })] }) },
    good: liveCluster({ nodes: ["pve1", "pve2", "pve3"], guests: [liveVm(100, { cpu: "cputype=x86-64-v3" })] }),
  },
  {
    ruleId: "PVE-HW-004",
    bad: { "a thin disk without discard": liveCluster({ guests: [liveVm(100, { scsi0: "local-lvm:vm-100-disk-0,size=8G" })] }) },
    good: liveCluster({ guests: [liveVm(100, { scsi0: "local-lvm:vm-100-disk-0,discard=on,size=8G", scsi1: "local:100/vm-100-disk-1.qcow2,size=2G" })] }),
  },
  {
    ruleId: "PVE-IAM-001",
    bad: { "a custom role with Permissions.Modify": liveCluster({ roles: [{ roleid: "Ops", privs: "VM.Audit,Permissions.Modify", special: 0 }] }) },
    good: liveCluster({
      roles: [
        { roleid: "Administrator", privs: "Permissions.Modify,Sys.Modify", special: 1 },
        { roleid: "Ops", privs: "VM.Audit,VM.PowerMgmt", special: 0 },
      ],
    }),
  },
  {
    ruleId: "PVE-IAM-002",
    bad: {
      "Administrator on / for a token": liveCluster({ acl: [{ path: "/", roleid: "Administrator", type: "token", ugid: "ci@pve!deploy", propagate: 1 }] }),
    },
    good: liveCluster({ acl: [{ path: "/", roleid: "PVEAuditor", type: "token", ugid: "ci@pve!scan", propagate: 1 }] }),
  },
  {
    ruleId: "PVE-IAM-003",
    bad: { "a token with privsep=0": liveCluster({ users: [{ userid: "ci@pve", tokens: [{ tokenid: "deploy", privsep: 0, expire: 1900000000 }] }] }) },
    good: liveCluster({ users: [{ userid: "ci@pve", tokens: [{ tokenid: "deploy", privsep: 1, expire: 1900000000 }] }] }),
  },
  {
    ruleId: "PVE-IAM-004",
    bad: { "a token with expire=0": liveCluster({ users: [{ userid: "ci@pve", tokens: [{ tokenid: "deploy", privsep: 1, expire: 0 }] }] }) },
    good: liveCluster({ users: [{ userid: "ci@pve", tokens: [{ tokenid: "deploy", privsep: 1, expire: 1900000000 }] }] }),
  },
  {
    ruleId: "PVE-NET-001",
    bad: { "a prod VM untagged on vmbr0": prodCluster([prodVm(100, { net0: "virtio=BC:24:11:00:00:02,bridge=vmbr0,firewall=1" })]) },
    good: prodCluster([prodVm(100)]),
  },
  {
    ruleId: "PVE-OPS-001",
    bad: { "a prod VM without protection": prodCluster([prodVm(100, { protection: undefined })]) },
    good: prodCluster([prodVm(100)]),
  },
  {
    ruleId: "PVE-OPS-002",
    bad: {
      "a prod VM in no backup job": prodCluster([prodVm(100)], { backupJobs: [] }),
      "a prod VM whose only job is disabled": prodCluster([prodVm(100)], {
        backupJobs: [{ id: "backup-daily", enabled: 0, vmid: "100", "prune-backups": "keep-daily=7" }],
      }),
    },
    good: prodCluster([prodVm(100, {})], {
      backupJobs: [{ id: "backup-pool", enabled: 1, pool: "web", "prune-backups": "keep-daily=7" }],
      guests: [{ ...prodVm(100), pool: "web" }],
    }),
  },
  {
    ruleId: "PVE-OPS-003",
    bad: { "a backup job without retention": liveCluster({ backupJobs: [{ id: "backup-all", enabled: 1, all: 1, schedule: "daily", storage: "local" }] }) },
    good: liveCluster({ backupJobs: [{ id: "backup-all", enabled: 1, all: 1, schedule: "daily", storage: "local", "prune-backups": "keep-last=3" }] }),
  },
  {
    ruleId: "PVE-OPS-004",
    bad: {
      "a prod VM without an HA resource": prodCluster([prodVm(100)], { haResources: [] }),
      "a prod VM whose HA resource is disabled": prodCluster([prodVm(100)], { haResources: [{ sid: "vm:100", state: "disabled" }] }),
    },
    good: prodCluster([prodVm(100)]),
  },
  {
    ruleId: "PVE-OPS-006",
    bad: { "a VM without tags": liveCluster({ guests: [liveVm(100, { tags: undefined })] }) },
    good: liveCluster(),
  },
  {
    ruleId: "PVE-OPS-007",
    bad: { "a disabled backup job": liveCluster({ backupJobs: [{ id: "backup-all", enabled: 0, all: 1, "prune-backups": "keep-last=3" }] }) },
    good: liveCluster({ backupJobs: [{ id: "backup-all", all: 1, "prune-backups": "keep-last=3" }] }),
  },
  {
    ruleId: "PVE-OPS-010",
    bad: {
      "a prod VM with a data disk marked unencrypted": prodCluster([prodVm(100, { scsi1: "local-lvm:vm-100-disk-1,discard=on,serial=pcdk-data-1,size=50G" })]),
      "a prod VM with a data disk without a serial": prodCluster([prodVm(100, { virtio1: "local-lvm:vm-100-disk-1,discard=on,size=50G" })]),
    },
    good: prodCluster([prodVm(100, { scsi1: "local-lvm:vm-100-disk-1,discard=on,serial=pcdk-luks-1,size=50G" })]),
  },
  {
    ruleId: "PVE-OPS-008",
    bad: { "a prod VM without onboot (PVE default: off)": prodCluster([prodVm(100, { onboot: undefined })]) },
    good: prodCluster([prodVm(100)]),
  },
  {
    ruleId: "PVE-OPS-009",
    bad: {
      "a prod job onto a PBS storage without encryption-key": prodCluster([prodVm(100)], { storages: [...DEFAULT_STORAGES, livePbs("pbs")] }),
      "a prod job onto the local directory storage": prodCluster([prodVm(100)], {
        backupJobs: [{ id: "backup-daily", enabled: 1, vmid: "100", storage: "local", "prune-backups": "keep-daily=7" }],
      }),
      "a prod job onto an NFS storage": prodCluster([prodVm(100)], {
        storages: [...DEFAULT_STORAGES, { storage: "pbs", type: "nfs", server: "192.0.2.5", export: "/backups", path: "/mnt/pve/pbs", content: "backup" }],
      }),
    },
    good: prodCluster([prodVm(100), liveVm(101)], {
      storages: [...DEFAULT_STORAGES, livePbs("pbs", KEY_FINGERPRINT), livePbs("pbs-keyless-fp", "1")],
      backupJobs: [
        { id: "backup-daily", enabled: 1, vmid: "100", storage: "pbs", "prune-backups": "keep-daily=7" },
        { id: "backup-prod-keyed", enabled: 1, vmid: "100", storage: "pbs-keyless-fp", "prune-backups": "keep-daily=7" },
        { id: "backup-dev", enabled: 1, vmid: "101", storage: "local", "prune-backups": "keep-daily=7" },
      ],
    }),
  },
  {
    ruleId: "PVE-CT-001",
    bad: {
      "unprivileged=0": liveCluster({ guests: [liveCt(200, { unprivileged: 0 })] }),
      "no unprivileged key (PVE default: privileged)": liveCluster({ guests: [liveCt(200, { unprivileged: undefined })] }),
    },
    good: liveCluster({ guests: [liveCt(200)] }),
  },
  {
    ruleId: "PVE-CT-002",
    bad: { "features nesting=1": liveCluster({ guests: [liveCt(200, { features: "nesting=1" })] }) },
    good: liveCluster({ guests: [liveCt(200, { features: "nesting=0" })] }),
  },
  {
    ruleId: "PVE-CT-003",
    bad: { "features keyctl=1": liveCluster({ guests: [liveCt(200, { features: "keyctl=1" })] }) },
    good: liveCluster({ guests: [liveCt(200)] }),
  },
  {
    ruleId: "PVE-CT-004",
    bad: {
      "features fuse=1": liveCluster({ guests: [liveCt(200, { features: "fuse=1" })] }),
      "features mount=nfs;cifs": liveCluster({ guests: [liveCt(200, { features: "mount=nfs;cifs" })] }),
    },
    good: liveCluster({ guests: [liveCt(200)] }),
  },
  {
    ruleId: "PVE-CT-005",
    bad: {
      "net0 firewall=0": liveCluster({ guests: [liveCt(200, { net0: "name=eth0,bridge=vmbr0,firewall=0,hwaddr=BC:24:11:00:01:01,type=veth" })] }),
      "container firewall enable=0": liveCluster({ guests: [liveCt(200, {}, { options: { enable: 0, policy_in: "DROP" } })] }),
    },
    good: liveCluster({ guests: [liveCt(200)] }),
  },
];
