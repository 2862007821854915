/**
 * The configurations bench/deploy.ts applies: one 20-VM environment written as a proxmox-cdk spec
 * (synthesised by the stacks), and the same resources as hand-written Terraform JSON for the same
 * provider — clones chained per tier as VmGroup does, or not chained at all. Also the dependency
 * depth of a configuration, read from its JSON.
 */
import { defaultVmIdRange } from "../stacks/vm-id-allocator";
import { PROVIDER_VERSION } from "../toolchain/paths";

type Json = Record<string, unknown>;

/** One tier of the benchmark environment. */
export interface BenchTier {
  readonly name: string;
  readonly count: number;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  readonly tags: readonly string[];
}

/** The benchmark environment: dev's tiers and firewall intents, 20 VMs on one node. */
export const BENCH_TIERS: readonly BenchTier[] = [
  { name: "bastion", count: 2, cores: 1, memoryMiB: 512, diskGiB: 8, tags: ["bastion"] },
  { name: "web", count: 8, cores: 2, memoryMiB: 1024, diskGiB: 10, tags: ["web"] },
  { name: "app", count: 6, cores: 2, memoryMiB: 1024, diskGiB: 10, tags: ["app"] },
  { name: "db", count: 4, cores: 2, memoryMiB: 2048, diskGiB: 20, tags: ["db", "postgres"] },
];
/**
 * The benchmark tiers scaled to `total` VMs (at least 4): bastion 10 %, web 40 %, app 30 %, db 20 %
 * of the VMs, the remainder to web.
 */
export function benchTiers(total: number): BenchTier[] {
  if (!Number.isInteger(total) || total < 4) throw new Error(`benchTiers: total must be a whole number of at least 4, got ${total}`);
  const shares: Record<string, number> = { bastion: 0.1, web: 0.4, app: 0.3, db: 0.2 };
  const tiers = BENCH_TIERS.map((t) => ({ ...t, count: Math.max(1, Math.floor(total * shares[t.name])) }));
  const web = tiers.find((t) => t.name === "web") as BenchTier & { count: number };
  web.count += total - tiers.reduce((n, t) => n + t.count, 0);
  return tiers;
}

const ALLOW = [
  { from: "web", to: "app", port: 8080, label: "tcp/8080" },
  { from: "app", to: "db", port: 5432, label: "postgres" },
  { from: "bastion", to: "web", port: 22, label: "ssh" },
  { from: "bastion", to: "app", port: 22, label: "ssh" },
  { from: "bastion", to: "db", port: 22, label: "ssh" },
];
const EXPOSE = [
  { tier: "web", port: 443, label: "https", from: "0.0.0.0/0" },
  { tier: "bastion", port: 22, label: "ssh", from: "203.0.113.0/24" },
];
const ENV = "bench";
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl bench@example.com";
const IMAGE = "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2";
const CHECKSUM = "ab297fb090ef5c5e44dd75484fa8c1788da7b8e87714f02126dd5e7d851feee61b43cb6398c84a6557d3c26b9e310e1a3ab1aae8ec004f112be7559dd0a7f18e";

/** Number of VMs of the benchmark environment. */
export const BENCH_VMS = BENCH_TIERS.reduce((n, t) => n + t.count, 0);

/** `environments/bench.yaml` of the benchmark environment (with the tiers of {@link benchTiers}). */
export function benchSpecYaml(tiers: readonly BenchTier[] = BENCH_TIERS): string {
  return [
    `name: ${ENV}`,
    "stage: dev",
    "nodes: [pve1, pve2, pve3]",
    "placement: pack",
    "network:",
    "  bridge: { name: vmbr0, vlan: 10 }",
    "templates:",
    "  debian12:",
    `    url: ${IMAGE}`,
    `    checksum: ${CHECKSUM}`,
    "    checksumAlgorithm: sha512",
    "tiers:",
    ...tiers.flatMap((t) => [
      `  ${t.name}:`,
      `    count: ${t.count}`,
      `    cores: ${t.cores}`,
      `    memoryMiB: ${t.memoryMiB}`,
      `    diskGiB: ${t.diskGiB}`,
      "    template: debian12",
      `    tags: [${t.tags.join(", ")}]`,
    ]),
    "firewall:",
    "  allow:",
    ...ALLOW.map((a) => `    - { from: ${a.from}, to: ${a.to}, port: ${a.label} }`),
    "  expose:",
    ...EXPOSE.map((e) => `    - { tier: ${e.tier}, port: ${e.label}, from: ${e.from} }`),
    "stateBackend: local",
    "cloudInit:",
    "  user: ops",
    "  sshKeys:",
    `    - ${KEY}`,
    "",
  ].join("\n");
}

const NIC = {
  bridge: "vmbr0",
  disconnected: false,
  enabled: true,
  firewall: true,
  mac_address: null,
  model: "virtio",
  mtu: null,
  queues: null,
  rate_limit: null,
  trunks: null,
};

/**
 * The benchmark environment as a person would write it in Terraform JSON for bpg/proxmox: the
 * same resources and attribute values as the synthesised stack, plain names, no cdktf metadata.
 * `chained`: each clone of a tier waits for the previous one (`depends_on`), as VmGroup did before
 * it cloned in parallel. VM ids are explicit, as the stack's id allocator gives them.
 */
export function handWrittenJson(chained: boolean, tiers: readonly BenchTier[] = BENCH_TIERS): Json {
  let nextVmId = defaultVmIdRange(ENV).start;
  const vm: Record<string, Json> = {};
  const options: Record<string, Json> = {};
  const rules: Record<string, Json> = {};
  const alias: Record<string, Json> = {};
  const ipOf = (id: string) => `\${element(element(proxmox_virtual_environment_vm.${id}.ipv4_addresses, 1), 0)}`;

  vm.template = {
    vm_id: nextVmId++,
    name: `${ENV}-debian12`,
    node_name: "pve1",
    template: true,
    started: false,
    on_boot: false,
    description: `Golden template.\nimage: ${IMAGE}\nsha512: ${CHECKSUM}`,
    tags: ["proxmox-cdk", "template"],
    bios: "ovmf",
    machine: "q35",
    efi_disk: { datastore_id: "local-lvm", pre_enrolled_keys: true, type: "4m" },
    agent: { enabled: true, trim: true, type: "virtio" },
    cpu: { cores: 1, type: "x86-64-v2-AES" },
    memory: { dedicated: 1024 },
    disk: [
      { datastore_id: "local-lvm", discard: "on", import_from: "${proxmox_download_file.debian12.id}", interface: "scsi0", iothread: true, size: 8, ssd: true },
    ],
    initialization: { datastore_id: "local-lvm", ip_config: [{ ipv4: { address: "dhcp" } }] },
    network_device: [{ ...NIC, vlan_id: null }],
    operating_system: { type: "l26" },
    scsi_hardware: "virtio-scsi-single",
    serial_device: [{ device: "socket" }],
    vga: { type: "serial0" },
  };

  const memberIds = (tier: BenchTier) => Array.from({ length: tier.count }, (_, i) => `${tier.name}_${i + 1}`);
  const tierNamed = (name: string) => tiers.find((x) => x.name === name) as BenchTier;
  for (const t of tiers) {
    const ids = memberIds(t);
    ids.forEach((id, i) => {
      vm[id] = {
        vm_id: nextVmId++,
        name: `${ENV}-${t.name}-${i + 1}`,
        node_name: "pve1",
        description: "Managed by proxmox-cdk",
        tags: [...t.tags, "dev", "proxmox-cdk", `tier-${t.name}`].sort(),
        pool_id: "${proxmox_virtual_environment_pool.env.pool_id}",
        clone: { datastore_id: "local-lvm", full: true, retries: 3, vm_id: "${proxmox_virtual_environment_vm.template.vm_id}" },
        agent: { enabled: true, timeout: "3m", trim: true, type: "virtio", wait_for_ip: { ipv4: true } },
        cpu: { cores: t.cores, sockets: 1, type: "x86-64-v2-AES" },
        memory: { dedicated: t.memoryMiB },
        disk: [{ datastore_id: "local-lvm", discard: "on", interface: "scsi0", iothread: true, size: t.diskGiB, ssd: true }],
        initialization: { datastore_id: "local-lvm", ip_config: [{ ipv4: { address: "dhcp" } }], user_account: { keys: [KEY], username: "ops" } },
        network_device: [{ ...NIC, vlan_id: 10 }],
        on_boot: true,
        started: true,
        protection: false,
        stop_on_destroy: true,
        operating_system: { type: "l26" },
        scsi_hardware: "virtio-scsi-single",
        serial_device: [{ device: "socket" }],
        ...(chained && i > 0 ? { depends_on: [`proxmox_virtual_environment_vm.${ids[i - 1]}`] } : {}),
      };
      const vmId = `\${proxmox_virtual_environment_vm.${id}.vm_id}`;
      options[id] = { node_name: "pve1", vm_id: vmId, enabled: true, dhcp: true, input_policy: "DROP", output_policy: "ACCEPT", macfilter: true };
      const inbound = [
        // A DHCP tier is named member by member: one rule per member's alias.
        ...ALLOW.filter((a) => a.to === t.name).flatMap((a) =>
          memberIds(tierNamed(a.from)).map((from) => ({
            source: `\${proxmox_virtual_environment_firewall_alias.${from}.name}`,
            port: a.port,
            comment: `${a.from} to ${a.to} ${a.label}`,
          })),
        ),
        ...EXPOSE.filter((e) => e.tier === t.name).map((e) => ({ source: e.from, port: e.port, comment: `${e.label} from ${e.from}` })),
      ];
      rules[id] = {
        node_name: "pve1",
        vm_id: vmId,
        depends_on: [`proxmox_virtual_environment_firewall_options.${id}`],
        rule: inbound.map((r) => ({ type: "in", action: "ACCEPT", proto: "tcp", dport: String(r.port), source: r.source, comment: r.comment, enabled: true })),
      };
    });
    // DHCP members have an alias each (updated in place when an address changes), which rules name.
    ids.forEach((id, i) => (alias[id] = { name: `${ENV}-${t.name}-${i + 1}`, cidr: ipOf(id), comment: `address of ${ENV}-${t.name}-${i + 1}` }));
  }

  return {
    terraform: { required_providers: { proxmox: { source: "bpg/proxmox", version: PROVIDER_VERSION } } },
    provider: { proxmox: [{}] },
    resource: {
      proxmox_download_file: {
        debian12: {
          node_name: "pve1",
          datastore_id: "local",
          content_type: "import",
          file_name: "debian-12-genericcloud-amd64.qcow2",
          url: IMAGE,
          checksum: CHECKSUM,
          checksum_algorithm: "sha512",
        },
      },
      proxmox_virtual_environment_pool: { env: { pool_id: ENV, comment: `environment ${ENV}` } },
      proxmox_virtual_environment_cluster_firewall: {
        cluster: { enabled: true, ebtables: true, input_policy: "DROP", output_policy: "ACCEPT", log_ratelimit: { enabled: true, burst: 5, rate: "1/second" } },
      },
      proxmox_virtual_environment_vm: vm,
      proxmox_virtual_environment_firewall_options: options,
      proxmox_virtual_environment_firewall_alias: alias,
      proxmox_virtual_environment_firewall_rules: rules,
    },
  };
}

/** Resources per type of a Terraform JSON configuration. */
export function resourceCounts(json: Json): Record<string, number> {
  const res = (json.resource ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(res)
      .map(([t, byName]): [string, number] => [t, Object.keys(byName).length])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Dependency graph of a configuration: edges from references (`${type.name…}`) and depends_on. */
export interface GraphFigures {
  readonly resources: number;
  readonly edges: number;
  /** Resources on the longest dependency chain (1 = nothing depends on anything). */
  readonly depth: number;
}

/** The dependency graph's size and depth, read from the JSON (the same edges `terraform graph` draws between resources). */
export function graphFigures(json: Json): GraphFigures {
  const res = (json.resource ?? {}) as Record<string, Record<string, Json>>;
  const nodes = new Map<string, Set<string>>();
  for (const [type, byName] of Object.entries(res)) for (const name of Object.keys(byName)) nodes.set(`${type}.${name}`, new Set());
  for (const [type, byName] of Object.entries(res)) {
    for (const [name, body] of Object.entries(byName)) {
      const deps = nodes.get(`${type}.${name}`) as Set<string>;
      const { depends_on: dependsOn, ...rest } = body as { depends_on?: string[] } & Json;
      for (const d of dependsOn ?? []) deps.add(d);
      for (const expr of JSON.stringify(rest).match(/\$\{[^}]*\}/g) ?? []) {
        for (const m of expr.matchAll(/\b([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/g)) if (nodes.has(`${m[1]}.${m[2]}`)) deps.add(`${m[1]}.${m[2]}`);
      }
    }
  }
  const memo = new Map<string, number>();
  const depth = (n: string, seen: Set<string>): number => {
    const known = memo.get(n);
    if (known !== undefined) return known;
    if (seen.has(n)) throw new Error(`dependency cycle through ${n}`);
    seen.add(n);
    const d = 1 + Math.max(0, ...[...(nodes.get(n) ?? [])].map((m) => depth(m, seen)));
    seen.delete(n);
    memo.set(n, d);
    return d;
  };
  return {
    resources: nodes.size,
    edges: [...nodes.values()].reduce((n, s) => n + s.size, 0),
    depth: Math.max(0, ...[...nodes.keys()].map((n) => depth(n, new Set()))),
  };
}
