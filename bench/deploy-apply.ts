/**
 * One measured `terraform apply` of a benchmark configuration against a fresh simulator, and the
 * synthesised stack of the benchmark spec. Shared by bench/deploy.ts and bench/clones.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthEnvironment } from "../deploy/synth-environment";
import { startSimulator } from "../sim/index";
import { peakRunningTasks, tasksSlice } from "../sim/tasks";
import { TerraformCli } from "../terraform/terraform-cli";
import { BenchTier, benchSpecYaml } from "./deploy-configs";

type Json = Record<string, unknown>;

/** The stack's synthesised JSON for the benchmark spec, with its local backend left out (state in the run's folder). */
export function constructsJson(tiers?: readonly BenchTier[]): Json {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-deploy-synth-"));
  try {
    fs.mkdirSync(path.join(root, "environments"));
    fs.writeFileSync(path.join(root, "environments", "bench.yaml"), benchSpecYaml(tiers));
    const { workdir } = synthEnvironment(root, "bench");
    const json = JSON.parse(fs.readFileSync(path.join(workdir, "cdk.tf.json"), "utf8")) as Json;
    delete (json.terraform as Json).backend;
    return json;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** What one apply did. */
export interface Apply {
  readonly seconds: number;
  readonly ok: boolean;
  readonly failedClones: number;
  readonly vms: number;
  /** Most clone tasks that ran at the same time. */
  readonly peakClones: number;
  readonly error?: string;
}

/** Applies `json` once on a fresh simulator with `latency` (ms per task type / `vdisk_alloc`); init is not timed. */
export async function applyOnce(json: Json, latency: Readonly<Record<string, number>>): Promise<Apply> {
  const sim = await startSimulator({ latency });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-deploy-"));
  try {
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(json, null, 2));
    fs.mkdirSync(path.join(dir, "tmp"));
    const tf = new TerraformCli({
      workdir: dir,
      // The provider keeps its VM-id sequence file in TMPDIR: one per run keeps runs independent.
      env: {
        PROXMOX_VE_ENDPOINT: sim.endpoint,
        PROXMOX_VE_API_TOKEN: sim.apiToken,
        PROXMOX_VE_INSECURE: "false",
        SSL_CERT_FILE: sim.caCertPath,
        TMPDIR: path.join(dir, "tmp"),
      },
    });
    await tf.init();
    const started = process.hrtime.bigint();
    const r = await tf.run(["apply", "-auto-approve", "-input=false", "-no-color"]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const clones = tasksSlice(sim.state).tasks.filter((t) => t.type === "qmclone");
    const vms = Object.values(((sim.state.toJSON().qemu ?? { vms: {} }) as { vms: Record<string, { conf: { template?: string } }> }).vms).filter(
      (v) => v.conf.template !== "1",
    ).length;
    const error = r.code === 0 ? undefined : (r.stderr.match(/Error: .*/)?.[0] ?? `exit ${r.code}`);
    return {
      seconds,
      ok: r.code === 0,
      failedClones: clones.filter((t) => t.exitstatus !== "OK").length,
      vms,
      peakClones: peakRunningTasks(sim.state, "qmclone"),
      error,
    };
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes variables that would point a run at anything but its own simulator. */
export function isolateFromShell(): void {
  for (const k of Object.keys(process.env)) if (/^(PROXMOX_VE_|PROXMOX_CDK_|PG_CONN_STR$|TF_LOG|TF_CLI_ARGS)/.test(k)) delete process.env[k];
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
