import { dependable, LocalBackend, PgBackend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { configureNodeSsh } from "../constructs/node-ssh";
import { ProxmoxProvider } from "../.gen/providers/proxmox/provider";
import { BackupJob } from "../constructs/backup-job";
import { ClusterFirewall } from "../constructs/cluster-firewall";
import { EnvironmentNetwork } from "../constructs/environment-network";
import { HaResource } from "../constructs/ha-resource";
import { PbsEncryption } from "../constructs/pbs-encryption";
import { PbsStorage } from "../constructs/pbs-storage";
import { Peer } from "../constructs/peer";
import { ResourcePool } from "../constructs/resource-pool";
import { Ipv4Pool, VmGroup } from "../constructs/vm-group";
import { ContainerGroup } from "../constructs/container-group";
import { ContainerTemplate } from "../constructs/container-template";
import type { HardenedContainer } from "../constructs/hardened-container";
import type { HardenedVm } from "../constructs/hardened-vm";
import { VmTemplate } from "../constructs/vm-template";
import { IsoImage } from "../constructs/iso-image";
import { WindowsGroup } from "../constructs/windows-group";
import type { WindowsVm } from "../constructs/windows-vm";
import { PolicyPack } from "../policy/pack";
import { prepareStackForPolicy } from "../policy/policy-resource";
import { SourceLocation, setSourceLocation } from "../policy/source-location";
import type { ResolvedEnvironment, ResolvedTier } from "../envspec";
import { firewallIntents, intentPort } from "./firewall-intents";
import { VmIdAllocator } from "./vm-id-allocator";
import { adoptedGuests } from "./adopted-guests";
import { literalText } from "../constructs/literal-text";
import type { PolicyOptions } from "../policy/check-policy";
import { environmentPolicyOptions } from "./environment-policy-options";

/** Props of {@link EnvironmentStack}. */
export interface EnvironmentStackProps {
  /** The environment with its stage defaults resolved. */
  readonly env: ResolvedEnvironment;
  /**
   * Folder of the local Terraform state, relative to the stack's working directory
   * (`cdktf.out/stacks/<name>`). @default "../../../.state/<name>"
   */
  readonly localStateDir?: string;
  /** Where each part of the spec is written, so policy findings point at the YAML line. @default unknown */
  readonly locate?: (path: readonly (string | number)[]) => SourceLocation;
  /**
   * Run the hardening policy pack on this stack: error-level findings fail synth.
   * @default true
   */
  readonly policy?: boolean;
}

/** Environment variable that selects the PostgreSQL backend regardless of the spec. */
export const STATE_BACKEND_ENV = "PROXMOX_CDK_STATE_BACKEND";

/**
 * One environment (dev/staging/prod) composed from its spec: network, templates, a hardened VM
 * group per tier, firewall intents, cluster firewall, and — per stage — pool, backups and HA.
 * No Proxmox details live here beyond choosing constructs and wiring them.
 */
export class EnvironmentStack extends TerraformStack {
  /** The tier groups by tier name: a VmGroup per VM tier, a ContainerGroup per container tier, a WindowsGroup per Windows tier. */
  readonly tiers: Readonly<Record<string, VmGroup | ContainerGroup | WindowsGroup>>;
  /** What the policy is told about the environment beyond its resources (checks of this stack pass it). */
  readonly policyOptions: PolicyOptions;
  private readonly policy: boolean;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    const env = props.env;
    this.configureBackend(env, props.localStateDir ?? `../../../.state/${env.name}`);
    // Endpoint and credentials come from the provider's own environment variables, never from code.
    const provider = new ProxmoxProvider(this, "proxmox", literalText({}));
    // Snippets (custom user data) go over SSH: only then does the stack need node SSH endpoints.
    if (Object.values(env.tiers).some((t) => t.userData)) configureNodeSsh(this, provider);

    const ids = new VmIdAllocator(env);
    const pool = new ResourcePool(this, "pool", { poolId: env.name, comment: `proxmox-cdk environment ${env.name} (${env.stage})` });
    new ClusterFirewall(this, "cluster-firewall");
    const network =
      env.network.kind === "sdn"
        ? new EnvironmentNetwork(this, "network", {
            vlanId: env.network.vlan,
            zoneId: env.network.zone,
            vnetId: env.network.vnet,
            subnet: env.network.subnet,
            gateway: env.network.gateway,
          })
        : undefined;
    const bridge = network ? network.bridge : env.network.kind === "bridge" ? env.network.name : "vmbr0";
    const vlanId = network ? network.nicVlanId : env.network.kind === "bridge" ? env.network.vlan : undefined;

    const templates: Record<string, VmTemplate> = {};
    for (const t of Object.values(env.templates)) {
      templates[t.name] = new VmTemplate(this, `template-${t.name}`, {
        node: env.nodes[0],
        name: `${env.name}-${t.name}`,
        vmId: ids.nextTemplate(),
        image: { url: t.url, checksum: t.checksum, checksumAlgorithm: t.checksumAlgorithm, fileName: t.fileName },
        uefi: t.uefi,
        bridge,
      });
    }

    const containerTemplates = this.containerTemplates(env);
    const installers = this.windowsInstallers(env);
    const tiers: Record<string, VmGroup | ContainerGroup | WindowsGroup> = {};
    for (const tier of Object.values(env.tiers)) {
      const wiring = { bridge, vlanId, poolId: pool.poolId, firstVmId: ids.nextTier(tier.count) };
      tiers[tier.name] =
        tier.kind === "container"
          ? this.containerTierGroup(env, tier, containerTemplates[tier.template], wiring)
          : tier.os === "windows"
            ? this.windowsTierGroup(env, tier, installers[tier.template], wiring)
            : this.tierGroup(env, tier, templates[tier.template], wiring);
    }
    this.tiers = tiers;
    // Guests on an SDN vnet need the vnet applied on the nodes before they start.
    const applier = network?.applier;
    if (applier) {
      for (const vm of Object.values(tiers).flatMap((g): readonly (HardenedVm | HardenedContainer | WindowsVm)[] => g.members))
        vm.resource.dependsOn = [...(vm.resource.dependsOn ?? []), dependable(applier)];
    }

    // The same intents give the guests' nftables allowances (inventory/ansible-inventory.ts).
    for (const i of firewallIntents(env)) {
      const from = i.source.kind === "tier" ? tiers[i.source.tier] : Peer.cidr(i.source.cidr);
      tiers[i.tier].connections.allowFrom(from, intentPort(i.service), i.comment);
    }
    // Running guests taken over (Terraform import), hardened in place; backups and HA as the tiers'.
    const adopted = Object.values(adoptedGuests(this, env, tiers));

    const at = props.locate;
    if (at) {
      setSourceLocation(this, at([]));
      for (const [name, group] of Object.entries(tiers)) setSourceLocation(group, at(["tiers", name]));
      for (const [name, t] of Object.entries(templates)) setSourceLocation(t, at(["templates", name]));
      for (const [name, byNode] of Object.entries(containerTemplates))
        for (const t of Object.values(byNode)) setSourceLocation(t, at(["containerTemplates", name]));
      for (const [name, byNode] of Object.entries(installers)) for (const t of Object.values(byNode)) setSourceLocation(t, at(["windowsInstallers", name]));
      if (network) setSourceLocation(network, at(["network"]));
    }
    this.policy = props.policy ?? true;
    this.policyOptions = environmentPolicyOptions(env);
    if (this.policy) PolicyPack.addTo(this, this.policyOptions);

    const vms = [...Object.values(tiers).flatMap((g): readonly (HardenedVm | HardenedContainer | WindowsVm)[] => g.members), ...adopted];
    // vzdump backs up VMs and containers alike; HA names a container `ct:<id>`.
    if (env.backups.enabled) {
      // A PBS target the spec defines (backups.pbs): the password only from TF_VAR_pbs_password.
      const pbs = env.backups.pbs;
      const target = pbs
        ? new PbsStorage(this, "backup-target", {
            storageId: env.backups.storage,
            server: pbs.server,
            datastore: pbs.datastore,
            username: pbs.username,
            password: new TerraformVariable(this, "pbs_password", {
              type: "string",
              sensitive: true,
              description: "Password or token secret of the PBS user (TF_VAR_pbs_password)",
            }).stringValue,
            ...(pbs.fingerprint !== undefined ? { fingerprint: pbs.fingerprint } : {}),
            encryption: pbs.encryption.kind === "none" ? PbsEncryption.unencrypted(pbs.encryption.reason) : PbsEncryption.generated(),
          })
        : undefined;
      new BackupJob(this, "backup", {
        jobId: `${env.name}-backup`,
        storage: target ? target.storageId : env.backups.storage,
        schedule: env.backups.schedule,
        vmIds: vms.map((vm) => vm.vmId),
        retention: env.backups.retention,
      });
    }
    if (env.ha.enabled) {
      for (const g of Object.values(tiers)) {
        const guest = g instanceof ContainerGroup ? "container" : "vm";
        g.members.forEach(
          (vm) => new HaResource(this, `ha-${vm.name}`, { vmId: vm.vmId, guest, maxRestart: env.ha.maxRestart, maxRelocate: env.ha.maxRelocate }),
        );
      }
      Object.values(env.adopted ?? {}).forEach(
        (g, i) =>
          new HaResource(this, `ha-${g.name}`, { vmId: adopted[i].vmId, guest: g.kind, maxRestart: env.ha.maxRestart, maxRelocate: env.ha.maxRelocate }),
      );
    }

    const rows = [
      ...Object.values(tiers).flatMap((g, i) =>
        g.members.map((vm) => ({ name: vm.name, id: vm.vmId, node: vm.nodeName, ipv4: vm.ipv4Address, tier: Object.keys(tiers)[i] })),
      ),
      ...Object.values(env.adopted ?? {}).map((g, i) => ({
        name: g.name,
        id: adopted[i].vmId,
        node: g.node,
        ipv4: adopted[i].ipv4Address,
        tier: g.tier ?? g.name,
      })),
    ];
    // `proxmox-cdk inventory` turns this output into the Ansible inventory (groups = tiers).
    new TerraformOutput(this, "vms", literalText({ value: rows, description: "Per VM: name, id, node, IPv4, tier" }));
  }

  /**
   * cdktf's preparation (resolve every element once) that also hands the resolved configurations
   * to the policy pack, so a synth resolves the stack twice rather than three times.
   */
  public prepareStack(): void {
    if (this.policy) prepareStackForPolicy(this);
    else super.prepareStack();
  }

  /** One download of each container template per node a container tier places containers on ({@link perNodeDownloads}). */
  private containerTemplates(env: ResolvedEnvironment): Record<string, Record<string, ContainerTemplate>> {
    return perNodeDownloads(
      env,
      env.containerTemplates,
      (t) => t.kind === "container",
      (t, node) =>
        new ContainerTemplate(this, `ct-template-${t.name}-${node}`, {
          node,
          url: t.url,
          checksum: t.checksum,
          checksumAlgorithm: t.checksumAlgorithm,
          fileName: t.fileName,
          osType: t.osType,
        }),
    );
  }

  /** One download of each Windows installer per node a Windows tier places VMs on ({@link perNodeDownloads}). */
  private windowsInstallers(env: ResolvedEnvironment): Record<string, Record<string, IsoImage>> {
    return perNodeDownloads(
      env,
      env.windowsInstallers,
      (t) => t.kind === "vm" && t.os === "windows",
      (t, node) =>
        new IsoImage(this, `windows-installer-${t.name}-${node}`, {
          node,
          url: t.url,
          checksum: t.checksum,
          checksumAlgorithm: t.checksumAlgorithm,
          ...(t.fileName !== undefined ? { fileName: t.fileName } : {}),
        }),
    );
  }

  /** A Windows tier: WindowsVm members (no cloud-init: the spec's user and SSH keys do not reach them) booting the installer. */
  private windowsTierGroup(
    env: ResolvedEnvironment,
    tier: ResolvedTier,
    isoByNode: Record<string, IsoImage>,
    wiring: { bridge: string; vlanId?: number; poolId: string; firstVmId?: number },
  ): WindowsGroup {
    return new WindowsGroup(this, `tier-${tier.name}`, {
      ...groupProps(env, tier, wiring),
      installerIsoFileIdByNode: Object.fromEntries(Object.entries(isoByNode).map(([node, iso]) => [node, iso.fileId])),
      osType: env.windowsInstallers[tier.template].osType,
      ...(tier.ipv4.mode === "pool" ? { ipv4Pool: poolOf(env, tier.ipv4.pool) } : {}),
    });
  }

  private containerTierGroup(
    env: ResolvedEnvironment,
    tier: ResolvedTier,
    templatesByNode: Record<string, ContainerTemplate>,
    wiring: { bridge: string; vlanId?: number; poolId: string; firstVmId?: number },
  ): ContainerGroup {
    if (tier.ipv4.mode !== "pool") {
      throw new Error(
        `${env.name}: tier "${tier.name}" is a container tier without an ipv4 pool — validate the spec first (containers need static addresses).`,
      );
    }
    const common = groupProps(env, tier, wiring);
    return new ContainerGroup(this, `tier-${tier.name}`, {
      ...common,
      template: templatesByNode[common.nodes[0]],
      templatesByNode,
      user: { sshKeys: env.cloudInit.sshKeys },
      ...(tier.features ? { features: { ...tier.features } } : {}),
      ipv4Pool: poolOf(env, tier.ipv4.pool),
    });
  }

  private tierGroup(
    env: ResolvedEnvironment,
    tier: ResolvedTier,
    template: VmTemplate,
    wiring: { bridge: string; vlanId?: number; poolId: string; firstVmId?: number },
  ): VmGroup {
    return new VmGroup(this, `tier-${tier.name}`, {
      ...groupProps(env, tier, wiring),
      template,
      user: { username: env.cloudInit.user, sshKeys: env.cloudInit.sshKeys },
      ...(tier.userData ? { userData: tier.userData } : {}),
      ...(tier.ipv4.mode === "pool" ? { ipv4Pool: poolOf(env, tier.ipv4.pool) } : {}),
      dataDisks: tier.dataDisks.map((d) => ({ sizeGiB: d.sizeGiB, datastoreId: d.storage, encrypted: d.encrypted })),
      extraNics: tier.nics.map((n) => ({ bridge: n.bridge, vlanId: n.vlan, firewall: n.firewall })),
      diskUnlock: env.dataProtection.diskUnlock,
    });
  }

  private configureBackend(env: ResolvedEnvironment, localStateDir: string): void {
    const backend = process.env[STATE_BACKEND_ENV] ?? env.stateBackend;
    if (backend === "pg") {
      // The connection string is read by Terraform from PG_CONN_STR: nothing secret in the JSON.
      const pg = new PgBackend(this, { connStr: "", schemaName: `proxmox_cdk_${env.name}` });
      pg.addOverride("conn_str", undefined);
      return;
    }
    if (backend !== "local") {
      throw new Error(`${STATE_BACKEND_ENV}=${backend} is not a known state backend — use "local" or "pg".`);
    }
    new LocalBackend(this, { path: `${localStateDir}/terraform.tfstate` });
  }
}

/** What the group of a tier takes from the spec whatever its kind: names, placement, ids, sizes, wiring, protection, tags. */
function groupProps(env: ResolvedEnvironment, tier: ResolvedTier, wiring: { bridge: string; vlanId?: number; poolId: string; firstVmId?: number }) {
  return {
    count: tier.count,
    namePrefix: `${env.name}-${tier.name}`,
    nodes: placementNodes(env),
    firstVmId: wiring.firstVmId,
    stage: env.stage,
    cores: tier.cores,
    memoryMiB: tier.memoryMiB,
    diskGiB: tier.diskGiB,
    bridge: wiring.bridge,
    vlanId: wiring.vlanId,
    poolId: wiring.poolId,
    protection: env.protection,
    tags: [...tier.tags, `tier-${tier.name}`],
    ipSetName: `${env.name}-${tier.name}`,
  };
}

/** A tier's static pool: the n-th member takes the pool's n-th host, on the network's prefix and gateway. */
function poolOf(env: ResolvedEnvironment, pool: string): Ipv4Pool {
  const subnet = env.network.subnet;
  return { cidr: pool, firstHost: 1, gateway: env.network.gateway, networkPrefixLength: subnet ? Number(subnet.split("/")[1]) : undefined };
}

/**
 * A download of each source that a tier (`uses`) names as its template, on every node its guests go
 * to: the file lands on node-local storage (`local`), which the other nodes cannot read.
 */
function perNodeDownloads<S extends { readonly name: string }, T>(
  env: ResolvedEnvironment,
  sources: Readonly<Record<string, S>>,
  uses: (tier: ResolvedTier) => boolean,
  download: (source: S, node: string) => T,
): Record<string, Record<string, T>> {
  const used = new Set(
    Object.values(env.tiers)
      .filter(uses)
      .map((t) => t.template),
  );
  return Object.fromEntries(
    Object.values(sources)
      .filter((s) => used.has(s.name))
      .map((s) => [s.name, Object.fromEntries(placementNodes(env).map((node) => [node, download(s, node)]))]),
  );
}

/** The nodes a tier's guests go to: all of them round-robin (spread), or the first (pack). */
function placementNodes(env: ResolvedEnvironment): readonly string[] {
  return env.placement === "spread" ? env.nodes : [env.nodes[0]];
}
