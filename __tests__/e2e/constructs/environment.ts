import { App, dependable, TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../../.gen/providers/proxmox/provider";
import { BackupJob } from "../../../constructs/backup-job";
import { ClusterFirewall } from "../../../constructs/cluster-firewall";
import { EnvironmentNetwork } from "../../../constructs/environment-network";
import { HaResource } from "../../../constructs/ha-resource";
import { HardenedVm } from "../../../constructs/hardened-vm";
import { Peer } from "../../../constructs/peer";
import { Port } from "../../../constructs/port";
import { ResourcePool } from "../../../constructs/resource-pool";
import { SecurityGroup } from "../../../constructs/security-group";
import { TerraformAccess } from "../../../constructs/terraform-access";
import { VmGroup } from "../../../constructs/vm-group";
import { VmTemplate } from "../../../constructs/vm-template";

/** Where the template's image comes from (a loopback URL the simulator really downloads). */
export interface ImageSource {
  readonly url: string;
  readonly sha256: string;
}

/** Options of {@link environmentStack}. */
export interface EnvironmentOptions {
  readonly image: ImageSource;
  readonly sshKey: string;
  /** Web members. @default 2 */
  readonly webCount?: number;
  /** App to add the stack to (the admin stack of TerraformAccess must see it). @default a new one */
  readonly app?: App;
}

/** What the environment is expected to hold once applied. */
export const ENV = {
  pool: "e2e",
  templateId: 9000,
  firstWebId: 201,
  dbId: 301,
  securityGroup: "base",
  zone: "envs",
  vnet: "v120",
  subnet: "10.120.0.0/24",
  backupJob: "e2e-backup",
} as const;

/** The constructs of one applied environment, for assertions. */
export interface Environment {
  readonly stack: TerraformStack;
  readonly web: VmGroup;
  readonly db: HardenedVm;
  /** VM ids of every clone: web members then db. */
  readonly vmIds: number[];
}

/**
 * A two-tier environment built with the constructs alone (no spec): a template from a downloaded
 * image, a web VmGroup and a db HardenedVm cloned from it with static addresses on an SDN vlan
 * vnet, a security group every VM includes, postgres open on db to the web group only, the
 * cluster firewall, a resource pool the VMs join, a backup job over them and HA for db.
 */
export function environmentStack(opts: EnvironmentOptions): Environment {
  const app = opts.app ?? Testing.app();
  const stack = new TerraformStack(app, "env");
  new ProxmoxProvider(stack, "proxmox", {});
  const webCount = opts.webCount ?? 2;

  const pool = new ResourcePool(stack, "pool", { poolId: ENV.pool, comment: "e2e environment" });
  new ClusterFirewall(stack, "cluster-firewall");
  const network = new EnvironmentNetwork(stack, "network", { vlanId: 120, zoneId: ENV.zone, vnetId: ENV.vnet, subnet: ENV.subnet, gateway: "10.120.0.1" });
  const template = new VmTemplate(stack, "template", {
    node: "pve1",
    name: "debian-13",
    vmId: ENV.templateId,
    image: { url: opts.image.url, checksum: opts.image.sha256, checksumAlgorithm: "sha256", fileName: "debian-13.qcow2" },
    bridge: network.bridge,
  });
  const common = {
    template,
    bridge: network.bridge,
    poolId: pool.poolId,
    cores: 1,
    memoryMiB: 1024,
    diskGiB: 10,
    agentTimeout: "1m",
    user: { sshKeys: [opts.sshKey] },
  };
  const web = new VmGroup(stack, "web", {
    ...common,
    count: webCount,
    namePrefix: "web",
    nodes: ["pve1"],
    firstVmId: ENV.firstWebId,
    ipv4Pool: { cidr: ENV.subnet, firstHost: 11, gateway: "10.120.0.1" },
    tags: ["tier-web"],
  });
  const db = new HardenedVm(stack, "db", {
    ...common,
    node: "pve1",
    name: "db",
    vmId: ENV.dbId,
    ipv4: { address: "10.120.0.21/24", gateway: "10.120.0.1" },
    tags: ["tier-db"],
  });
  const vms = [...web.members, db];
  // Guests on an SDN vnet need the vnet applied on the nodes before they start.
  for (const vm of vms) vm.resource.dependsOn = [...(vm.resource.dependsOn ?? []), dependable(network.applier!)];

  const base = new SecurityGroup(stack, "base", { name: ENV.securityGroup, comment: "every VM" });
  base.connections.allowFrom(Peer.cidr("10.0.0.0/8"), Port.SSH, "ssh from the admin network");
  vms.forEach((vm) => vm.addSecurityGroup(base));
  db.connections.allowFrom(web, Port.POSTGRES, "web to db");

  new BackupJob(stack, "backup", { jobId: ENV.backupJob, storage: "local", vmIds: vms.map((vm) => vm.vmId) });
  new HaResource(stack, "db-ha", { vmId: db.vmId });
  return { stack, web, db, vmIds: [...web.members.map((_, i) => ENV.firstWebId + i), ENV.dbId] };
}

/** Default expiry of test tokens: 90 days ahead, as PVE's ISO form without milliseconds. */
export function tokenExpiry(): string {
  return new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The admin stack: a least-privilege Terraform identity derived from the stacks it manages. */
export function adminStack(app: App, manages: TerraformStack[]): { stack: TerraformStack; access: TerraformAccess } {
  const stack = new TerraformStack(app, "admin");
  new ProxmoxProvider(stack, "proxmox", {});
  const access = new TerraformAccess(stack, "access", { manages, tokenExpiry: tokenExpiry() });
  return { stack, access };
}
