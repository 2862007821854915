import * as path from "path";
import { writeFileAtomic } from "../../io/atomic-write";
import { draftSpec } from "../draft-loop";
import { ChatModel, modelName, ollamaChatModel, ollamaClient, ollamaHost } from "../ollama-chat";
import { classifyOllamaError } from "../ollama-error";
import type { PolicyGate } from "../policy-gate";
import { loadPrompts, PromptSet } from "../prompt-library";
import { loadSiteFacts, SiteFacts } from "../site-facts";
import { EvalCase, loadEvalSet } from "./eval-set";
import { checkExpectations } from "./expectations";

/** How one request fared. */
export interface EvalResult {
  readonly id: string;
  readonly passed: boolean;
  /** Answers the model gave (1 = right the first time). */
  readonly answers: number;
  readonly latencyMs: number;
  /** Unmet expectations, or the problems of the last rejected answer. */
  readonly failures: readonly string[];
}

/** Options of {@link runEval}. */
export interface RunEvalOptions {
  readonly model: ChatModel;
  readonly prompts: PromptSet;
  readonly facts: SiteFacts;
  readonly cases: readonly EvalCase[];
  /** @default 3 */
  readonly repairRounds?: number;
  /** @default the real policy pack */
  readonly policyGate?: PolicyGate;
  /** @default none */
  readonly log?: (line: string) => void;
}

/**
 * Drafts every request through the same pipeline as `draft` (nothing is written) and checks the
 * result against its expectations. An Ollama failure other than one slow answer stops the run.
 */
export async function runEval(opts: RunEvalOptions): Promise<EvalResult[]> {
  const log = opts.log ?? (() => undefined);
  const results: EvalResult[] = [];
  for (const c of opts.cases) {
    const started = Date.now();
    const out = await draftSpec({
      request: c.request,
      model: opts.model,
      prompts: opts.prompts,
      facts: opts.facts,
      repairRounds: opts.repairRounds,
      policyGate: opts.policyGate,
    });
    if (!out.ok && out.error && out.error.problem !== "timeout") throw out.error;
    const failures = out.ok ? checkExpectations(out.env, c.expect) : out.error ? [out.error.message] : [`no clean spec: ${out.problems.join("; ")}`];
    const result = { id: c.id, passed: failures.length === 0, answers: out.attempts.length, latencyMs: Date.now() - started, failures };
    results.push(result);
    log(
      `${result.passed ? "PASS" : "FAIL"} ${c.id.padEnd(22)} answers ${result.answers}  ${(result.latencyMs / 1000).toFixed(1)} s${result.passed ? "" : `\n     ${failures.join("\n     ")}`}`,
    );
  }
  return results;
}

/** Totals of a run. */
export interface EvalSummary {
  readonly total: number;
  readonly passed: number;
  readonly passRate: number;
  /** Mean repair rounds per request (answers − 1). */
  readonly meanRepairRounds: number;
  readonly medianLatencyMs: number;
}

/** Pass rate, repair rounds and latency of a run. */
export function summarize(results: readonly EvalResult[]): EvalSummary {
  const total = results.length;
  const passed = results.filter((r) => r.passed).length;
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const median = total === 0 ? 0 : total % 2 ? latencies[(total - 1) / 2] : (latencies[total / 2 - 1] + latencies[total / 2]) / 2;
  const rounds = results.reduce((n, r) => n + Math.max(0, r.answers - 1), 0);
  return { total, passed, passRate: total ? passed / total : 0, meanRepairRounds: total ? rounds / total : 0, medianLatencyMs: median };
}

function flags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m)
      throw new Error(
        `eval:ai: unexpected argument "${argv[i]}"; flags: --model, --only id,id, --min-pass-rate 0.8, --json file, --timeout s, --repair-rounds n, --from env`,
      );
    out[m[1]] = m[2] ?? argv[++i] ?? "";
  }
  return out;
}

/**
 * `npm run eval:ai [-- flags]`: runs the evaluation set against the Ollama at OLLAMA_HOST and
 * prints pass rate, repair rounds and latency per request. Without a reachable Ollama, or without
 * the model, it prints why and how to run it, and skips (exit 0). Exit 1 when the pass rate is
 * under `--min-pass-rate` (default 0: report only).
 */
export async function evalMain(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, log: (l: string) => void = console.log): Promise<number> {
  const f = flags(argv);
  const host = ollamaHost(undefined, env);
  const model = modelName(f.model, env);
  const client = ollamaClient(host, 3000);
  try {
    await client.version();
  } catch (e) {
    const why = classifyOllamaError(e, { host, model, timeoutMs: 3000, numCtx: 8192 });
    log(
      `eval:ai skipped: no Ollama answers at ${host} (${why.problem}). To run it: \`ollama serve\`, \`ollama pull ${model}\`, and set OLLAMA_HOST if it listens elsewhere.`,
    );
    return 0;
  }
  const pulled = (await client.list()).models.map((m) => m.name);
  if (!pulled.includes(model) && !pulled.includes(`${model}:latest`)) {
    log(`eval:ai skipped: model ${model} is not pulled at ${host}. Run \`ollama pull ${model}\` (or pass --model, or set PROXMOX_CDK_MODEL).`);
    return 0;
  }
  const only = f.only ? f.only.split(",") : undefined;
  const cases = loadEvalSet().filter((c) => !only || only.includes(c.id));
  if (only && cases.length !== only.length) throw new Error(`eval:ai: unknown id in --only ${f.only}.`);
  const root = path.join(__dirname, "..", "..");
  log(`eval:ai: ${cases.length} request(s), model ${model} at ${host}`);
  const results = await runEval({
    model: ollamaChatModel({ host, model, timeoutMs: Number(f.timeout ?? 300) * 1000, environment: env }),
    prompts: loadPrompts(),
    facts: loadSiteFacts(root, { from: f.from }),
    cases,
    repairRounds: f["repair-rounds"] === undefined ? undefined : Number(f["repair-rounds"]),
    log,
  });
  const s = summarize(results);
  log(
    `pass rate ${s.passed}/${s.total} (${(s.passRate * 100).toFixed(0)}%), mean repair rounds ${s.meanRepairRounds.toFixed(2)}, median latency ${(s.medianLatencyMs / 1000).toFixed(1)} s`,
  );
  if (f.json) writeFileAtomic(f.json, JSON.stringify({ model, host, summary: s, results }, null, 2) + "\n");
  const min = Number(f["min-pass-rate"] ?? 0);
  return s.passRate + 1e-9 >= min ? 0 : 1;
}
