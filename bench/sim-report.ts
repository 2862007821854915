/**
 * What the simulator benchmarks share: the machine line under each table, and the atomic update
 * of their section of docs/simulator.md between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";

/** The document the simulator benchmarks write their figures into. */
export const SIMULATOR_DOC = path.join(__dirname, "..", "docs", "simulator.md");

/** CPU, memory, Node and load at the time of the run: figures mean little without it. */
export function machineLine(): string {
  const cpus = os.cpus();
  const load = os.loadavg()[0].toFixed(1);
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${load} at the start, ${new Date().toISOString().slice(0, 10)}`;
}

/**
 * Replaces the marked section `name` of `doc` with `body` (written atomically: a reader sees the
 * old or the new file). A document without the markers gets them appended under `heading`.
 */
export function writeDocSection(name: string, heading: string, body: string, doc: string = SIMULATOR_DOC): void {
  const text = fs.existsSync(doc) ? fs.readFileSync(doc, "utf8") : "";
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next =
    from !== -1 && to > from ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}` : `${text.replace(/\n*$/, "\n")}\n${heading}\n\n${block}\n`;
  writeFileAtomic(doc, next);
}

/** The `q`-quantile (0..1) of samples, by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
