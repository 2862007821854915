/**
 * Clone benchmark (figures, not assertions): `terraform apply` of 10, 50 and 100 VMs cloned from one
 * template (the benchmark environment of bench/deploy-configs.ts scaled: 4 tiers, firewall per VM,
 * an alias per VM that rules name) against the simulator with PVE-like latencies divided by a scale factor, for
 * the stack proxmox-cdk synthesises (VmGroup's defaults) and for the same resources hand-written in
 * Terraform JSON without depends_on, next to a lower bound.
 *
 * PVE-like latencies (unscaled): one volume allocation under the storage lock 0.6 s (PVE: 0.2–1 s),
 * a full clone's data copy 20 s (10–30 s), boot + guest agent 30 s (20–40 s). Divided by `--scale`
 * (default 20) so that a run fits here — except PVE's 10 s storage-lock wait, which the simulator
 * keeps, so a scaled run queues less than a real one. The last row therefore repeats 50 VMs with
 * the allocation at an unscaled 1 s (the rest scaled): the case where allocations could time out.
 *
 * Lower bound, per configuration: LB = max(N·k·a, ⌈N/P⌉·(k·a + c + b)), with N VMs, k = 4 storage
 * operations per VM (EFI disk, cloud-init and system disk allocations, one resize), a = allocation,
 * c = copy, b = boot + agent, P = terraform's parallelism (10): allocations on one storage never
 * overlap, and at most P VMs are in flight. It leaves out the template, the firewall objects and
 * the API round trips.
 *
 *   npx tsx bench/clones.ts                  # prints a Markdown table
 *   npx tsx bench/clones.ts --write          # also updates the clones section of docs/benchmarks.md
 *   npx tsx bench/clones.ts --sizes 10,50 --scale 40
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import { ALLOC_LATENCY_KEY } from "../sim/qemu/storage-lock";
import { applyOnce, constructsJson, isolateFromShell } from "./deploy-apply";
import { benchTiers, handWrittenJson, resourceCounts } from "./deploy-configs";

/** PVE-like latencies in seconds, before scaling. */
const PVE = { alloc: 0.6, copy: 20, bootAndAgent: 30 };
/** Storage operations per VM under the storage lock: EFI disk, cloud-init, system disk, resize. */
const STORAGE_OPS = 4;
/** Allocations inside one clone task (the resize is its own task). */
const CLONE_ALLOCS = 3;
const PARALLELISM = 10;

function listOption(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const values = (process.argv[i + 1] ?? "").split(",").map(Number);
  if (!values.length || values.some((v) => !(v > 0))) throw new Error(`--${name} needs positive numbers, got "${process.argv[i + 1]}"`);
  return values;
}

interface Scenario {
  readonly vms: number;
  /** Seconds, as simulated. */
  readonly alloc: number;
  readonly copy: number;
  readonly boot: number;
  readonly label: string;
}

function latencyOf(s: Scenario): Record<string, number> {
  return { qmclone: Math.round((s.copy + CLONE_ALLOCS * s.alloc) * 1000), [ALLOC_LATENCY_KEY]: Math.round(s.alloc * 1000), qmstart: Math.round(s.boot * 1000) };
}

function lowerBound(s: Scenario): number {
  return Math.max(s.vms * STORAGE_OPS * s.alloc, Math.ceil(s.vms / PARALLELISM) * (STORAGE_OPS * s.alloc + s.copy + s.boot));
}

async function main(): Promise<void> {
  isolateFromShell();
  const scale = listOption("scale", [20])[0];
  const sizes = listOption("sizes", [10, 50, 100]);
  const scaled = { alloc: PVE.alloc / scale, copy: PVE.copy / scale, boot: PVE.bootAndAgent / scale };
  const scenarios: Scenario[] = [
    ...sizes.map((vms) => ({ vms, ...scaled, label: `${vms}` })),
    { vms: 50, ...scaled, alloc: 1, label: "50, allocation 1 s unscaled" },
  ];
  const rows = [
    "| VMs | configuration | apply | wall time (s) | VMs created | failed clone tasks | most clones at once | lower bound LB (s) | time ÷ LB | time ÷ hand-written |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of scenarios) {
    const tiers = benchTiers(s.vms);
    const library = constructsJson(tiers);
    const hand = handWrittenJson(false, tiers);
    if (JSON.stringify(resourceCounts(library)) !== JSON.stringify(resourceCounts(hand)))
      throw new Error(`${s.vms} VMs: the configurations do not hold the same resources`);
    const runs = s.label.includes("unscaled")
      ? [["proxmox-cdk (VmGroup defaults)", library]]
      : [
          ["proxmox-cdk (VmGroup defaults)", library],
          ["hand-written JSON, no depends_on", hand],
        ];
    const results = [];
    for (const [label, json] of runs as Array<[string, Record<string, unknown>]>) {
      console.error(`measuring ${s.label}: ${label} …`);
      const a = await applyOnce(json, latencyOf(s));
      console.error(`  ${a.seconds.toFixed(1)} s${a.ok ? "" : ` FAILED (${a.error})`}`);
      results.push({ label, a });
    }
    const lb = lowerBound(s);
    const handTime = results[1]?.a.seconds;
    for (const { label, a } of results) {
      rows.push(
        `| ${s.label} | ${label} | ${a.ok ? "ok" : "failed"} | ${a.seconds.toFixed(1)} | ${a.vms}/${s.vms} | ${a.failedClones} | ${a.peakClones} | ${lb.toFixed(1)} | ${(a.seconds / lb).toFixed(2)} | ${handTime ? (a.seconds / handTime).toFixed(2) : "—"} |`,
      );
    }
  }
  const setup =
    `Scale factor ${scale}: allocation ${(scaled.alloc * 1000).toFixed(0)} ms, copy ${(scaled.copy * 1000).toFixed(0)} ms (clone task ${latencyOf({ vms: 0, ...scaled, label: "" }).qmclone} ms), ` +
    `boot + agent ${(scaled.boot * 1000).toFixed(0)} ms (the start task; the simulated agent answers at once). PVE's 10 s storage-lock wait is not scaled. ` +
    `LB = max(N·k·a, ⌈N/P⌉·(k·a + c + b)), k = ${STORAGE_OPS}, P = ${PARALLELISM}. One run per row on a fresh simulator, terraform's default parallelism, ` +
    `real terraform and bpg/proxmox; ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} at the end ` +
    `(the machine is shared, so read the times as orders of magnitude).`;
  const text = `${rows.join("\n")}\n\n${setup}\n\nRegenerate with \`npx tsx bench/clones.ts --write\`.`;
  console.log(text);
  if (process.argv.includes("--write")) {
    const doc = path.join(__dirname, "..", "docs", "benchmarks.md");
    const current = fs.existsSync(doc) ? fs.readFileSync(doc, "utf8") : "";
    const block = `<!-- clones:begin -->\n${text}\n<!-- clones:end -->`;
    const marked = /<!-- clones:begin -->[\s\S]*<!-- clones:end -->/;
    const next = marked.test(current) ? current.replace(marked, () => block) : `${current.trimEnd()}\n\n## Clones\n\n${block}\n`;
    writeFileAtomic(doc, next);
    console.error(`updated ${path.relative(process.cwd(), doc)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
