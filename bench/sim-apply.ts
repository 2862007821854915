/**
 * 100-VM apply benchmark (figures, not assertions): wall time of `terraform apply` with the real
 * terraform and bpg/proxmox provider against an in-process simulator at zero latency, for a
 * template plus 100 full clones and for 100 VMs created from scratch; then the re-plan (a refresh
 * of every VM) and the destroy. Each scenario gets a fresh simulator and working directory.
 *
 *   npx tsx bench/sim-apply.ts            # prints a Markdown table
 *   npx tsx bench/sim-apply.ts --write    # also updates its section of docs/simulator.md
 *   npx tsx bench/sim-apply.ts --vms 20   # a smaller run (not written unless --write)
 */
import { App, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { ProxmoxProvider } from "../.gen/providers/proxmox/provider";
import { VirtualEnvironmentVm, VirtualEnvironmentVmConfig } from "../.gen/providers/proxmox/virtual-environment-vm";
import { renderNic } from "../constructs/vm-network";
import { startSimulator } from "../sim";
import { TerraformCli } from "../terraform/terraform-cli";
import { machineLine, writeDocSection } from "./sim-report";

const TEMPLATE_ID = 9000;
const FIRST_ID = 200;
const PARALLELISM = 10;
const TIMEOUT_MS = 30 * 60_000;

type Scenario = "clones" | "scratch";

const SCENARIOS: Record<Scenario, string> = {
  clones: "template + full clones",
  scratch: "VMs created from scratch",
};

/** What every VM of the benchmark has: one 8 GiB disk and cloud-init on LVM-thin, one NIC, stopped. */
function vmConfig(name: string, vmId: number): VirtualEnvironmentVmConfig {
  return {
    nodeName: "pve1",
    vmId,
    name,
    started: false,
    onBoot: false,
    cpu: { cores: 1 },
    memory: { dedicated: 512, floating: 0 },
    disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: 8 }],
    networkDevice: [renderNic({ bridge: "vmbr0" })],
    initialization: { datastoreId: "local-lvm", ipConfig: [{ ipv4: { address: "dhcp" } }] },
  };
}

/** Synthesises the scenario's stack with cdktf into `outdir` and returns the stack's folder. */
function synth(outdir: string, scenario: Scenario, vms: number): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "bench");
  new ProxmoxProvider(stack, "proxmox", {});
  const template =
    scenario === "clones" ? new VirtualEnvironmentVm(stack, "template", { ...vmConfig("bench-template", TEMPLATE_ID), template: true }) : undefined;
  for (let i = 0; i < vms; i++) {
    const id = FIRST_ID + i;
    const config = vmConfig(`vm${i}`, id);
    new VirtualEnvironmentVm(stack, `vm${i}`, template ? { ...config, clone: { vmId: template.vmId, full: true } } : config);
  }
  app.synth();
  return path.join(outdir, "stacks", "bench");
}

interface Row {
  readonly scenario: Scenario;
  readonly vms: number;
  readonly apply: number;
  readonly replan: number;
  readonly destroy: number;
  readonly requests: number;
}

async function run(scenario: Scenario, vms: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pve-bench-apply-"));
  let requests = 0;
  const sim = await startSimulator({ nodes: ["pve1"], onRequest: () => void requests++ });
  try {
    const workdir = synth(path.join(dir, "cdktf.out"), scenario, vms);
    const tmp = path.join(dir, "tmp");
    fs.mkdirSync(tmp);
    const tf = new TerraformCli({
      workdir,
      timeoutMs: TIMEOUT_MS,
      env: { PROXMOX_VE_ENDPOINT: sim.endpoint, PROXMOX_VE_API_TOKEN: sim.apiToken, PROXMOX_VE_INSECURE: "false", SSL_CERT_FILE: sim.caCertPath, TMPDIR: tmp },
    });
    await tf.init();
    const timed = async (work: () => Promise<unknown>): Promise<number> => {
      const t = performance.now();
      await work();
      return (performance.now() - t) / 1000;
    };
    const apply = await timed(() => tf.apply([`-parallelism=${PARALLELISM}`]));
    const applyRequests = requests;
    let replanCode = -1;
    const replan = await timed(async () => (replanCode = (await tf.plan([`-parallelism=${PARALLELISM}`])).code));
    if (replanCode !== 0) throw new Error(`${scenario}: the re-plan after the apply is not empty (exit ${replanCode})`);
    const destroy = await timed(() => tf.must(["destroy", "-no-color", "-input=false", "-auto-approve", `-parallelism=${PARALLELISM}`]));
    return { scenario, vms, apply, replan, destroy, requests: applyRequests };
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--vms");
  const vms = at === -1 ? 100 : Number(process.argv[at + 1]);
  if (!Number.isInteger(vms) || vms < 1 || vms > 500) throw new Error(`--vms takes a whole number from 1 to 500, got ${process.argv[at + 1]}`);
  const machine = machineLine();
  const rows: Row[] = [];
  for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    rows.push(await run(scenario, vms));
    console.error(`measured ${SCENARIOS[scenario]}`);
  }
  const table = [
    "| scenario | VMs | apply (s) | re-plan (s) | destroy (s) | API requests of the apply | requests per VM |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => {
      const total = r.vms + (r.scenario === "clones" ? 1 : 0);
      return `| ${SCENARIOS[r.scenario]} | ${total} | ${r.apply.toFixed(1)} | ${r.replan.toFixed(1)} | ${r.destroy.toFixed(1)} | ${r.requests} | ${(r.requests / total).toFixed(1)} |`;
    }),
  ].join("\n");
  const note = `Real terraform and bpg/proxmox through the project toolchain, \`-parallelism=${PARALLELISM}\` (terraform's default), simulator in the same process at zero latency, verified TLS; init not counted; one run each. ${machine}.`;
  console.log(`${table}\n\n${note}`);
  if (process.argv.includes("--write")) writeDocSection("sim-apply", "### 100-VM apply", `${table}\n\n${note}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
