/**
 * Deploy benchmark (figures, not assertions): `terraform apply` time of a 20-VM environment
 * against the simulator with a fixed clone latency, for the JSON proxmox-cdk synthesises and for
 * the same resources hand-written in Terraform JSON for the same provider — with the clones
 * chained per tier (as VmGroup did before it cloned in parallel) and not chained (what a
 * hand-written configuration usually does, and what VmGroup now synthesises). Also the dependency
 * graph of each: resources, edges and depth (the longest chain). bench/clones.ts measures 10, 50
 * and 100 VMs under PVE-like latencies.
 *
 * Each apply runs on a fresh simulator (`latency: { qmclone }`) in a fresh folder, with the real
 * terraform and bpg/proxmox at terraform's default parallelism (10); `terraform init` is not timed.
 * Runs of the three configurations are interleaved so that a slow moment of the machine hits all.
 *
 *   npx tsx bench/deploy.ts                          # prints a Markdown table
 *   npx tsx bench/deploy.ts --write                  # also updates the deploy section of docs/benchmarks.md
 *   npx tsx bench/deploy.ts --runs 5 --clone-latency 1000
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import { Apply, applyOnce, constructsJson, isolateFromShell, median } from "./deploy-apply";
import { BENCH_VMS, GraphFigures, graphFigures, handWrittenJson, resourceCounts } from "./deploy-configs";

type Json = Record<string, unknown>;

function intOption(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive whole number, got "${process.argv[i + 1]}"`);
  return v;
}

interface Variant {
  readonly label: string;
  readonly json: Json;
  readonly graph: GraphFigures;
  readonly applies: Apply[];
}

async function main(): Promise<void> {
  // The runs must reach only their own simulator, whatever the shell exports.
  isolateFromShell();
  const runs = intOption("runs", 3);
  const cloneLatencyMs = intOption("clone-latency", 1000);

  const variants: Variant[] = [
    { label: "proxmox-cdk (synthesised stack)", json: constructsJson() },
    { label: "hand-written JSON, clones chained per tier", json: handWrittenJson(true) },
    { label: "hand-written JSON, clones not chained", json: handWrittenJson(false) },
  ].map((v) => ({ ...v, graph: graphFigures(v.json), applies: [] }));
  const counts = variants.map((v) => JSON.stringify(resourceCounts(v.json)));
  if (new Set(counts).size !== 1) throw new Error(`the configurations do not hold the same resources:\n${counts.join("\n")}`);

  for (let run = 1; run <= runs; run++) {
    for (const v of variants) {
      const a = await applyOnce(v.json, { qmclone: cloneLatencyMs });
      v.applies.push(a);
      console.error(
        `run ${run}/${runs} ${v.label}: ${a.seconds.toFixed(1)} s${a.ok ? "" : ` FAILED (${a.error})`}, ${a.failedClones} failed clone tasks, ${a.vms} VMs`,
      );
    }
  }

  const chained = median(variants[1].applies.map((a) => a.seconds));
  const ratio = median(variants[0].applies.map((a) => a.seconds)) / chained;
  const rows = [
    `| configuration | resources | dependency edges | graph depth | apply (s), median of ${runs} | min–max (s) | applies ok | failed clone tasks | VMs created | time ÷ hand-written chained |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...variants.map((v) => {
      const t = v.applies.map((a) => a.seconds);
      return `| ${v.label} | ${v.graph.resources} | ${v.graph.edges} | ${v.graph.depth} | ${median(t).toFixed(1)} | ${Math.min(...t).toFixed(1)}–${Math.max(...t).toFixed(1)} | ${v.applies.filter((a) => a.ok).length}/${runs} | ${v.applies.reduce((n, a) => n + a.failedClones, 0)} | ${v.applies.map((a) => a.vms).join(", ")} | ${(median(t) / chained).toFixed(2)} |`;
    }),
  ];
  const verdict = `Target (proxmox-cdk ≤ 1.05 × the hand-written JSON with the same ordering): ${ratio <= 1.05 ? "met" : "not met"}, ratio ${ratio.toFixed(3)}.`;
  const machine = `${BENCH_VMS} VMs in 4 tiers on one node (clones of one template, firewall options and rules per VM, an alias per VM that rules name, pool, cluster firewall); clone latency ${cloneLatencyMs} ms; ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}; wall time of \`terraform apply\` (plan included, init not), each run on a fresh simulator. Graph figures are read from the JSON: references and depends_on between resources; depth = resources on the longest chain.`;
  const unchained = variants[2];
  const note = unchained.applies.every((a) => a.ok && a.failedClones === 0)
    ? `Without the chain, up to 10 clones run at once and queue only for their allocations (docs/simulator.md, Clones); every apply succeeded.`
    : `Without the chain, up to 10 clones run at once and queue for their allocations; allocations waiting more than 10 s fail (docs/simulator.md, Clones): ${unchained.applies.reduce((n, a) => n + a.failedClones, 0)} clone tasks failed over ${runs} runs.`;
  const text = `${rows.join("\n")}\n\n${verdict}\n\n${note}\n\n${machine}`;
  console.log(text);

  if (process.argv.includes("--write")) {
    const doc = path.join(__dirname, "..", "docs", "benchmarks.md");
    const block = `<!-- deploy:begin -->\n${text}\n\nRegenerate with \`npx tsx bench/deploy.ts --write\`.\n<!-- deploy:end -->`;
    // Read just before writing: other benchmarks own other sections of the same file.
    const current = fs.existsSync(doc)
      ? fs.readFileSync(doc, "utf8")
      : "# Benchmarks\n\nFigures, not assertions: each section is written by its script in `bench/`.\n";
    const marked = /<!-- deploy:begin -->[\s\S]*<!-- deploy:end -->/;
    const next = marked.test(current) ? current.replace(marked, () => block) : `${current.trimEnd()}\n\n## Deploy\n\n${block}\n`;
    writeFileAtomic(doc, next);
    console.error(`updated ${path.relative(process.cwd(), doc)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
