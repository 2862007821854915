/**
 * One synthesis measurement (run by bench/synth.ts in a fresh process):
 *   tsx bench/synth-worker.ts constructs|bare <vms>
 * Prints `{"seconds":…,"rssMiB":…,"resources":…}`.
 *
 * `constructs` synthesises as the CLI and main.ts do: inside withFastSynth (stacks/fast-synth.ts),
 * with the policy pack unless BENCH_POLICY=off. `bare` is the same configuration written with the
 * provider classes (bench/bench-environment.ts) under plain cdktf, as a user of the generated
 * classes alone would run it; BENCH_FAST_SYNTH=on runs it inside withFastSynth as well.
 */
import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withFastSynth } from "../stacks/fast-synth";
import { bareEnvironment, constructsEnvironment } from "./bench-environment";

function main(): void {
  const [kind, countText] = process.argv.slice(2);
  const n = Number(countText);
  if (!["constructs", "bare"].includes(kind) || !Number.isInteger(n) || n < 1) {
    throw new Error(`usage: synth-worker.ts constructs|bare <vms>, got "${process.argv.slice(2).join(" ")}"`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  const fast = kind === "constructs" || process.env.BENCH_FAST_SYNTH === "on";
  const started = process.hrtime.bigint();
  let constructed = started;
  const run = () => {
    const app = new App({ outdir });
    if (kind === "constructs") constructsEnvironment(app, n, process.env.BENCH_POLICY !== "off");
    else bareEnvironment(app, n);
    constructed = process.hrtime.bigint();
    app.synth();
  };
  if (fast) withFastSynth(run);
  else run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (process.env.BENCH_VERBOSE) console.error(`construct ${Number(constructed - started) / 1e9}s, synth ${seconds - Number(constructed - started) / 1e9}s`);
  const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "bench", "cdk.tf.json"), "utf8")) as { resource?: Record<string, object> };
  const resources = Object.values(json.resource ?? {}).reduce((s, r) => s + Object.keys(r).length, 0);
  if (process.env.BENCH_KEEP) console.error(outdir);
  else fs.rmSync(outdir, { recursive: true, force: true });
  console.log(JSON.stringify({ seconds, rssMiB: process.resourceUsage().maxRSS / 1024, resources }));
}

main();
