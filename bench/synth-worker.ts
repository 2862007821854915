/**
 * One synthesis measurement (run by bench/synth.ts in a fresh process):
 *   tsx bench/synth-worker.ts constructs|bare <vms>
 * Prints `{"seconds":…,"rssMiB":…,"resources":…}`.
 */
import { App, TerraformStack, Token } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProxmoxProvider } from "../.gen/providers/proxmox/provider";
import { DownloadFile } from "../.gen/providers/proxmox/download-file";
import { VirtualEnvironmentClusterFirewall } from "../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { VirtualEnvironmentFirewallIpset } from "../.gen/providers/proxmox/virtual-environment-firewall-ipset";
import { VirtualEnvironmentFirewallOptions } from "../.gen/providers/proxmox/virtual-environment-firewall-options";
import { VirtualEnvironmentFirewallRules } from "../.gen/providers/proxmox/virtual-environment-firewall-rules";
import { VirtualEnvironmentPool } from "../.gen/providers/proxmox/virtual-environment-pool";
import { VirtualEnvironmentVm } from "../.gen/providers/proxmox/virtual-environment-vm";
import { resolveDefaults, validateEnvironment } from "../spec";
import { EnvironmentStack } from "../stacks/environment-stack";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl bench@example.com";
const CHECKSUM = "ab".repeat(64);

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

function specFor(n: number): unknown {
  const counts = tierCounts(n);
  const tiers = Object.fromEntries(Object.entries(counts).map(([t, c]) => [t, { count: c, template: "debian12", memoryMiB: 1024, diskGiB: 10 }]));
  const webs = Object.keys(counts).filter((t) => t.startsWith("web"));
  const apps = Object.keys(counts).filter((t) => t.startsWith("app"));
  const dbs = Object.keys(counts).filter((t) => t.startsWith("db"));
  return {
    name: "bench",
    stage: "dev",
    nodes: ["pve1", "pve2", "pve3"],
    placement: "spread",
    network: { bridge: { name: "vmbr0", vlan: 10 } },
    templates: { debian12: { url: "https://example.org/debian-12.qcow2", checksum: CHECKSUM, checksumAlgorithm: "sha512" } },
    tiers,
    firewall: {
      allow: [...webs.flatMap((w) => apps.map((a) => ({ from: w, to: a, port: "tcp/8080" }))), ...apps.flatMap((a) => dbs.map((d) => ({ from: a, to: d, port: "postgres" })))],
      expose: webs.map((w) => ({ tier: w, port: "https", from: "0.0.0.0/0" })),
    },
    cloudInit: { user: "ops", sshKeys: [KEY] },
    vmIdRange: { start: 1000, end: 9999 },
  };
}

function withConstructs(app: App, n: number): void {
  const parsed = validateEnvironment(specFor(n));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
  new EnvironmentStack(app, "bench", { env: resolveDefaults(parsed.spec), policy: process.env.BENCH_POLICY !== "off" });
}

const nul = () => Token.asNumber(Token.nullValue());
const nuls = () => Token.asString(Token.nullValue());

/** The same resources as the constructs produce, written with the generated classes only. */
function bare(app: App, n: number): void {
  const stack = new TerraformStack(app, "bench");
  new ProxmoxProvider(stack, "proxmox", {});
  new VirtualEnvironmentPool(stack, "pool", { poolId: "bench" });
  new VirtualEnvironmentClusterFirewall(stack, "fw", { enabled: true, inputPolicy: "DROP", outputPolicy: "ACCEPT" });
  const img = new DownloadFile(stack, "img", { nodeName: "pve1", datastoreId: "local", contentType: "import", url: "https://example.org/debian-12.qcow2", checksum: CHECKSUM, checksumAlgorithm: "sha512" });
  const tpl = new VirtualEnvironmentVm(stack, "tpl", { nodeName: "pve1", vmId: 1000, template: true, started: false, disk: [{ interface: "scsi0", datastoreId: "local-lvm", importFromAttribute: img.id, size: 8 }] });
  const counts = tierCounts(n);
  let id = 1001;
  for (const [tier, count] of Object.entries(counts)) {
    new VirtualEnvironmentFirewallIpset(stack, `ipset-${tier}`, { name: `bench-${tier}`, cidr: [] });
    for (let i = 1; i <= count; i++, id++) {
      const vm = new VirtualEnvironmentVm(stack, `${tier}-${i}`, {
        nodeName: ["pve1", "pve2", "pve3"][(i - 1) % 3],
        vmId: id,
        name: `bench-${tier}-${i}`,
        clone: { vmId: tpl.vmId, full: true },
        cpu: { cores: 2, type: "x86-64-v2-AES" },
        memory: { dedicated: 1024 },
        agent: { enabled: true, timeout: "3m" },
        disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: 10, discard: "on", iothread: true }],
        initialization: { userAccount: { username: "ops", keys: [KEY] }, ipConfig: [{ ipv4: { address: "dhcp" } }] },
        networkDevice: [{ bridge: "vmbr0", vlanId: 10, firewall: true, enabled: true, disconnected: false, model: "virtio", macAddress: nuls(), mtu: nul(), queues: nul(), rateLimit: nul(), trunks: nuls() }],
      });
      new VirtualEnvironmentFirewallOptions(stack, `${tier}-${i}-fwo`, { nodeName: vm.nodeName, vmId: vm.vmId, enabled: true, inputPolicy: "DROP", outputPolicy: "ACCEPT" });
      new VirtualEnvironmentFirewallRules(stack, `${tier}-${i}-rules`, { nodeName: vm.nodeName, vmId: vm.vmId, rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "443", source: "0.0.0.0/0" }] });
    }
  }
}

function main(): void {
  const [kind, countText] = process.argv.slice(2);
  const n = Number(countText);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  // As the CLI and main.ts do (stacks/fast-synth.ts): no source-mapped stack traces during synth.
  process.setSourceMapsEnabled(false);
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  if (kind === "constructs") withConstructs(app, n);
  else bare(app, n);
  const constructed = process.hrtime.bigint();
  app.synth();
  if (process.env.BENCH_VERBOSE) console.error(`construct ${Number(constructed - started) / 1e9}s, synth ${Number(process.hrtime.bigint() - constructed) / 1e9}s`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "bench", "cdk.tf.json"), "utf8"));
  const resources = Object.values(json.resource as Record<string, object>).reduce((s, r) => s + Object.keys(r).length, 0);
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(JSON.stringify({ seconds, rssMiB: process.resourceUsage().maxRSS / 1024, resources }));
}

main();
