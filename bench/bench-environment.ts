/**
 * The environment the synthesis benchmark builds, twice: from a spec through EnvironmentStack
 * (constructs + policy pack), and as the same Terraform configuration written directly with the
 * generated provider classes — the baseline. __tests__/bench/bench-environment.test.ts checks that
 * both synthesise the same JSON, so the ratio compares equal work.
 */
import { Fn, LocalBackend, TerraformOutput, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { ProxmoxProvider } from "../.gen/providers/proxmox/provider";
import { DownloadFile } from "../.gen/providers/proxmox/download-file";
import { VirtualEnvironmentClusterFirewall } from "../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { VirtualEnvironmentFirewallAlias } from "../.gen/providers/proxmox/virtual-environment-firewall-alias";
import { VirtualEnvironmentFirewallOptions } from "../.gen/providers/proxmox/virtual-environment-firewall-options";
import { VirtualEnvironmentFirewallRules, VirtualEnvironmentFirewallRulesRule } from "../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { VirtualEnvironmentPool } from "../.gen/providers/proxmox/virtual-environment-pool";
import { VirtualEnvironmentVm } from "../.gen/providers/proxmox/virtual-environment-vm";
import { resolveDefaults, validateEnvironment } from "../envspec";
import { EnvironmentStack } from "../stacks/environment-stack";
import { TEMPLATE_ID_SLOTS, TIER_ID_SLOTS } from "../stacks/vm-id-allocator";
import { compareNatural } from "../constructs/natural-order";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl bench@example.com";
const CHECKSUM = "ab".repeat(64);
const IMAGE = "https://example.org/debian-12.qcow2";
const NODES = ["pve1", "pve2", "pve3"];
const NAME = "bench";

/** Splits n VMs into web/app/db tiers of at most 500 each (the spec's per-tier limit). */
export function tierCounts(n: number): Record<string, number> {
  const web = Math.ceil(n / 2);
  const app = Math.ceil((n - web) / 2);
  const db = n - web - app;
  const counts: Record<string, number> = {};
  const add = (name: string, c: number) => {
    for (let i = 0; c > 0; i++) {
      const take = Math.min(c, 500);
      counts[i === 0 ? name : `${name}${i + 1}`] = take;
      c -= take;
    }
  };
  add("web", web);
  add("app", app);
  add("db", db);
  return counts;
}

interface Intents {
  readonly allow: { from: string; to: string; port: string; dport: string }[];
  readonly expose: { tier: string; port: string; dport: string; from: string }[];
}

/** Web tiers reach app tiers on tcp/8080, app tiers reach db tiers on postgres, web is public on https. */
function intents(tiers: readonly string[]): Intents {
  const of = (prefix: string) => tiers.filter((t) => t.startsWith(prefix));
  return {
    allow: [
      ...of("web").flatMap((from) => of("app").map((to) => ({ from, to, port: "tcp/8080", dport: "8080" }))),
      ...of("app").flatMap((from) => of("db").map((to) => ({ from, to, port: "postgres", dport: "5432" }))),
    ],
    expose: of("web").map((tier) => ({ tier, port: "https", dport: "443", from: "0.0.0.0/0" })),
  };
}

/** The spec of an n-VM environment (dev stage, three nodes, one template). */
export function benchSpec(n: number): unknown {
  const counts = tierCounts(n);
  const { allow, expose } = intents(Object.keys(counts));
  return {
    name: NAME,
    stage: "dev",
    nodes: NODES,
    placement: "spread",
    network: { bridge: { name: "vmbr0", vlan: 10 } },
    templates: { debian12: { url: IMAGE, checksum: CHECKSUM, checksumAlgorithm: "sha512" } },
    tiers: Object.fromEntries(Object.entries(counts).map(([t, c]) => [t, { count: c, template: "debian12", memoryMiB: 1024, diskGiB: 10 }])),
    firewall: {
      allow: allow.map(({ from, to, port }) => ({ from, to, port })),
      expose: expose.map(({ tier, port, from }) => ({ tier, port, from })),
    },
    cloudInit: { user: "ops", sshKeys: [KEY] },
    vmIdRange: { start: 1000, end: 9999 },
  };
}

/** The n-VM environment through the spec, EnvironmentStack and (unless `policy` is false) the policy pack. */
export function constructsEnvironment(scope: Construct, n: number, policy = true): TerraformStack {
  const parsed = validateEnvironment(benchSpec(n));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
  return new EnvironmentStack(scope, NAME, { env: resolveDefaults(parsed.spec), policy });
}

const nul = () => Token.asNumber(Token.nullValue());
const nuls = () => Token.asString(Token.nullValue());

/** The same configuration written with the generated provider classes only: no constructs, no policy. */
export function bareEnvironment(scope: Construct, n: number): TerraformStack {
  const stack = new TerraformStack(scope, NAME);
  new LocalBackend(stack, { path: `../../../.state/${NAME}/terraform.tfstate` });
  new ProxmoxProvider(stack, "proxmox", {});
  const pool = new VirtualEnvironmentPool(stack, "pool", { poolId: NAME, comment: `proxmox-cdk environment ${NAME} (dev)` });
  new VirtualEnvironmentClusterFirewall(stack, "cluster-firewall", {
    enabled: true,
    ebtables: true,
    inputPolicy: "DROP",
    outputPolicy: "ACCEPT",
    logRatelimit: { enabled: true, burst: 5, rate: "1/second" },
  });
  const image = new DownloadFile(stack, "image", {
    nodeName: "pve1",
    datastoreId: "local",
    contentType: "import",
    url: IMAGE,
    fileName: "debian-12.qcow2",
    checksum: CHECKSUM,
    checksumAlgorithm: "sha512",
  });
  const nic = (vlanId: number) => [
    {
      bridge: "vmbr0",
      vlanId,
      firewall: true,
      enabled: Token.nullValue(),
      disconnected: false,
      model: "virtio",
      macAddress: nuls(),
      mtu: nul(),
      queues: nul(),
      rateLimit: nul(),
      trunks: nuls(),
    },
  ];
  const common = {
    nodeName: "pve1",
    operatingSystem: { type: "l26" },
    scsiHardware: "virtio-scsi-single",
    serialDevice: [{ device: "socket" }],
    memory: { dedicated: 1024 },
  };
  const template = new VirtualEnvironmentVm(stack, "template", {
    ...common,
    vmId: 1000,
    name: `${NAME}-debian12`,
    description: `Golden template managed by proxmox-cdk.\nimage: ${IMAGE}\nsha512: ${CHECKSUM}\nhardening-baseline: 2026.11`,
    template: true,
    started: false,
    onBoot: false,
    bios: "ovmf",
    machine: "q35",
    tags: ["baseline-2026.11", "proxmox-cdk", "template"],
    agent: { enabled: true, trim: true, type: "virtio" },
    cpu: { cores: 1, type: "x86-64-v2-AES" },
    disk: [{ interface: "scsi0", datastoreId: "local-lvm", importFromAttribute: image.id, size: 8, discard: "on", iothread: true, ssd: true }],
    efiDisk: { datastoreId: "local-lvm", type: "4m", preEnrolledKeys: true },
    initialization: { datastoreId: "local-lvm", ipConfig: [{ ipv4: { address: "dhcp" } }] },
    networkDevice: [{ ...nic(10)[0], vlanId: nul() }],
    vga: { type: "serial0" },
  });

  const counts = tierCounts(n);
  const { allow, expose } = intents(Object.keys(counts));
  const aliases: Record<string, { member: string; alias: VirtualEnvironmentFirewallAlias }[]> = {};
  const members: Record<string, { vm: VirtualEnvironmentVm; name: string; node: string; ipv4: string }[]> = {};
  // The environment's ids are laid out in slots: the template first, then TIER_ID_SLOTS per tier.
  for (const [tierIndex, [tier, count]] of Object.entries(counts).entries()) {
    members[tier] = [];
    let id = 1000 + TEMPLATE_ID_SLOTS + tierIndex * TIER_ID_SLOTS;
    for (let i = 1; i <= count; i++, id++) {
      const name = `${NAME}-${tier}-${i}`;
      const node = NODES[(i - 1) % NODES.length];
      const vm = new VirtualEnvironmentVm(stack, name, {
        ...common,
        nodeName: node,
        vmId: id,
        name,
        description: "Managed by proxmox-cdk",
        tags: ["dev", "proxmox-cdk", `tier-${tier}`],
        started: true,
        onBoot: true,
        protection: false,
        stopOnDestroy: true,
        poolId: pool.poolId,
        clone: { vmId: template.vmId, full: true, datastoreId: "local-lvm", retries: 3, ...(node === "pve1" ? {} : { nodeName: "pve1" }) },
        agent: { enabled: true, timeout: "3m", trim: true, type: "virtio", waitForIp: { ipv4: true } },
        cpu: { cores: 2, sockets: 1, type: "x86-64-v2-AES" },
        disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: 10, discard: "on", iothread: true, ssd: true }],
        initialization: { datastoreId: "local-lvm", userAccount: { username: "ops", keys: [KEY] }, ipConfig: [{ ipv4: { address: "dhcp" } }] },
        networkDevice: nic(10),
      });
      members[tier].push({ vm, name, node, ipv4: Token.asString(Fn.element(Fn.element(vm.ipv4Addresses, 1), 0)) });
    }
    // As VmGroup addresses DHCP members: an alias each (updated in place when the address changes), which rules name.
    aliases[tier] = members[tier].map((m) => ({
      member: m.name,
      alias: new VirtualEnvironmentFirewallAlias(stack, `${m.name}-address`, { name: m.name, cidr: m.ipv4, comment: `address of ${m.name}` }),
    }));
  }
  for (const tier of Object.keys(counts)) {
    const rules: VirtualEnvironmentFirewallRulesRule[] = [
      ...allow
        .filter((a) => a.to === tier)
        // In the constructs' rule order (orderRules' key "alias:<name>|ACCEPT" in natural order, so bench-web-2 before bench-web-10).
        .flatMap((a) =>
          [...aliases[a.from]]
            .sort((x, y) => compareNatural(`${x.member}|`, `${y.member}|`))
            .map(({ alias }) => ({ comment: `${a.from} to ${a.to} ${a.port}`, source: alias.name, dport: a.dport })),
        ),
      ...expose.filter((e) => e.tier === tier).map((e) => ({ comment: `${e.port} from ${e.from}`, source: e.from, dport: e.dport })),
    ].map((r) => ({ type: "in", action: "ACCEPT", proto: "tcp", enabled: true, ...r }));
    for (const { vm, name, node } of members[tier]) {
      const options = new VirtualEnvironmentFirewallOptions(stack, `${name}-firewall`, {
        nodeName: node,
        vmId: vm.vmId,
        enabled: true,
        inputPolicy: "DROP",
        outputPolicy: "ACCEPT",
        macfilter: true,
        dhcp: true,
      });
      new VirtualEnvironmentFirewallRules(stack, `${name}-rules`, { nodeName: node, vmId: vm.vmId, dependsOn: [options], rule: rules });
    }
  }
  new TerraformOutput(stack, "vms", {
    description: "Per VM: name, id, node, IPv4, tier",
    value: Object.entries(members).flatMap(([tier, ms]) => ms.map((m) => ({ name: m.name, id: m.vm.vmId, node: m.node, ipv4: m.ipv4, tier }))),
  });
  return stack;
}
