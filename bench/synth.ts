/**
 * Synthesis benchmark (figures, not assertions): wall time and peak RSS of synthesising
 * environments of 10, 100 and 1,000 VMs with the constructs, against the same resources written
 * with the bare provider classes. Each measurement runs in a fresh child process so RSS is its own.
 *
 *   npx tsx bench/synth.ts            # prints a Markdown table
 *   npx tsx bench/synth.ts --write    # also updates the table in docs/benchmarks.md
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";

const SIZES = [10, 100, 1000];
const RUNS = 3;

interface Sample {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly resources: number;
}

function measure(kind: "constructs" | "bare", vms: number, policy = true): Sample {
  const res = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "synth-worker.ts"), kind, String(vms)], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, BENCH_POLICY: policy ? "on" : "off" },
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
    "| VMs | spec + constructs + policy: time (s) / RSS (MiB) | constructs, no policy: time (s) / RSS (MiB) | bare provider classes: time (s) / RSS (MiB) | ratio with policy | ratio without | resources |",
    "|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const vms of SIZES) {
    const c = Array.from({ length: RUNS }, () => measure("constructs", vms));
    const n = Array.from({ length: RUNS }, () => measure("constructs", vms, false));
    const b = Array.from({ length: RUNS }, () => measure("bare", vms));
    const [ct, nt, bt] = [c, n, b].map((xs) => median(xs.map((x) => x.seconds)));
    const rss = (xs: Sample[]) => median(xs.map((x) => x.rssMiB)).toFixed(0);
    rows.push(
      `| ${vms} | ${ct.toFixed(2)} / ${rss(c)} | ${nt.toFixed(2)} / ${rss(n)} | ${bt.toFixed(2)} / ${rss(b)} | ${(ct / bt).toFixed(2)} | ${(nt / bt).toFixed(2)} | ${c[0].resources} / ${b[0].resources} |`,
    );
    console.error(`measured ${vms} VMs`);
  }
  const table = rows.join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${RUNS} runs, each in a fresh process (time from App creation to synthesised JSON on disk).`;
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
