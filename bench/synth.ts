/**
 * Synthesis benchmark (figures, not assertions): wall time and peak RSS of synthesising
 * environments of 10, 100 and 1,000 VMs with the constructs, against the same configuration written
 * with the bare provider classes (bench/bench-environment.ts; a test checks both synthesise the
 * same JSON). The baseline runs twice: under the same fast-synth setting proxmox-cdk uses (the
 * constructs' own overhead) and under plain cdktf (what writing the classes by hand costs).
 * Each measurement runs in a fresh child process so RSS is its own.
 *
 *   npx tsx bench/synth.ts            # prints a Markdown table
 *   npx tsx bench/synth.ts --write    # also updates the table in docs/benchmarks.md
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";

const SIZES = (process.env.BENCH_SIZES ?? "10,100,1000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Sample {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly resources: number;
}

function measure(kind: "constructs" | "bare", vms: number, env: Record<string, string>): Sample {
  const res = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "synth-worker.ts"), kind, String(vms)], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  if (res.status !== 0) throw new Error(`synth worker failed (${kind}, ${vms}): ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split("\n").pop() as string) as Sample;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const rows: string[] = [
    "| VMs | proxmox-cdk: spec + constructs + policy, time (s) / RSS (MiB) | constructs, no policy | bare classes, same fast-synth setting | bare classes, plain cdktf | ratio to bare, same setting (with policy / without) | ratio to bare, plain cdktf | resources |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const vms of SIZES) {
    // Interleaved (one run of each configuration per round), so a machine that speeds up or slows
    // down during the benchmark shifts every configuration alike instead of skewing the ratios.
    const configs: [kind: "constructs" | "bare", env: Record<string, string>][] = [
      ["constructs", { BENCH_POLICY: "on" }],
      ["constructs", { BENCH_POLICY: "off" }],
      ["bare", { BENCH_FAST_SYNTH: "on" }],
      ["bare", { BENCH_FAST_SYNTH: "off" }],
    ];
    const samples: Sample[][] = configs.map(() => []);
    for (let r = 0; r < RUNS; r++) configs.forEach(([kind, env], i) => samples[i].push(measure(kind, vms, env)));
    const [c, n, bf, bp] = samples;
    // Ratios pair the runs of one round (same machine state) and take the median over rounds.
    const ratio = (xs: Sample[], base: Sample[]) => median(xs.map((x, r) => x.seconds / base[r].seconds)).toFixed(2);
    const cell = (xs: Sample[]) => `${median(xs.map((x) => x.seconds)).toFixed(2)} / ${median(xs.map((x) => x.rssMiB)).toFixed(0)}`;
    rows.push(
      `| ${vms} | ${cell(c)} | ${cell(n)} | ${cell(bf)} | ${cell(bp)} | ${ratio(c, bf)} / ${ratio(n, bf)} | ${ratio(c, bp)} | ${c[0].resources} / ${bf[0].resources} |`,
    );
    console.error(`measured ${vms} VMs`);
  }
  const table = rows.join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${RUNS} interleaved rounds (one run of each configuration per round, each in a fresh process; time from App creation to synthesised JSON on disk); ratios are the median of the per-round ratios.`;
  console.log(`${table}\n\n${machine}`);
  if (process.argv.includes("--write")) {
    const doc = path.join(__dirname, "..", "docs", "benchmarks.md");
    const text = fs.existsSync(doc) ? fs.readFileSync(doc, "utf8") : "";
    const block = `<!-- synth:begin -->\n${table}\n\n${machine}\n<!-- synth:end -->`;
    const next = /<!-- synth:begin -->[\s\S]*<!-- synth:end -->/.test(text)
      ? text.replace(/<!-- synth:begin -->[\s\S]*<!-- synth:end -->/, block)
      : `${text}\n## Synthesis\n\n${block}\n`;
    writeFileAtomic(doc, next);
  }
}

main();
