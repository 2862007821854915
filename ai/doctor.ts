import { detectHardware, HardwareFacts } from "./hardware";
import { ramGiB, recommendTier, ModelTier } from "./model-tier";
import { DEFAULT_MODEL, modelName, ollamaClient, ollamaHost } from "./ollama-chat";
import { classifyOllamaError } from "./ollama-error";

/** One line of the doctor's report. */
export interface DoctorCheck {
  readonly name: string;
  /** False when `draft` would fail because of it. */
  readonly ok: boolean;
  readonly detail: string;
  /** The exact command or setting that fixes it. */
  readonly fix?: string;
}

/** What `proxmox-cdk doctor` found. */
export interface DoctorReport {
  readonly hardware: HardwareFacts;
  readonly recommended: ModelTier;
  /** The model `draft` would use (--model, PROXMOX_CDK_MODEL, or the default). */
  readonly model: string;
  readonly host: string;
  readonly checks: readonly DoctorCheck[];
  /** True when every check passed. */
  readonly ok: boolean;
}

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** Hardware facts. @default detectHardware() */
  readonly hardware?: HardwareFacts;
  /** Model to check. @default PROXMOX_CDK_MODEL, else DEFAULT_MODEL */
  readonly model?: string;
  /** Ollama base URL. @default OLLAMA_HOST, else http://127.0.0.1:11434 */
  readonly host?: string;
  /** Deadline per request to Ollama. @default 5000 */
  readonly timeoutMs?: number;
  /** Context window `draft` asks for; the model must offer at least this. @default 8192 */
  readonly numCtx?: number;
  /** @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
}

/** Install hint: the official script on Linux, the download page elsewhere. */
export const INSTALL_HINT = "install Ollama: `curl -fsSL https://ollama.com/install.sh | sh` on Linux, or https://ollama.com/download";

/** A model name as Ollama lists it (`name` without a tag means `name:latest`). */
function canonical(model: string): string {
  return model.includes(":") ? model : `${model}:latest`;
}

/** The `<arch>.context_length` of `/api/show`'s model_info, if any. */
function contextLength(info: unknown): number | undefined {
  const entries: [unknown, unknown][] = info instanceof Map ? [...info.entries()] : Object.entries((info ?? {}) as Record<string, unknown>);
  const hit = entries.find(([k, v]) => typeof k === "string" && k.endsWith(".context_length") && typeof v === "number");
  return hit ? (hit[1] as number) : undefined;
}

/**
 * Checks what `draft` needs: hardware (and the model tier it suits), Ollama answering
 * (`/api/version`), the model pulled (`/api/tags`) and its context window (`/api/show`). Every
 * failed check carries the command that fixes it. Contacts only the Ollama host.
 */
export async function runDoctor(opts: DoctorOptions = {}): Promise<DoctorReport> {
  const env = opts.environment ?? process.env;
  const hardware = opts.hardware ?? detectHardware();
  const recommended = recommendTier(hardware);
  const host = ollamaHost(opts.host, env);
  const model = modelName(opts.model, env);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const numCtx = opts.numCtx ?? 8192;
  const client = ollamaClient(host, timeoutMs);
  const checks: DoctorCheck[] = [];
  checks.push({
    name: "hardware",
    ok: true,
    detail: `${ramGiB(hardware)} GiB RAM, ${hardware.cpuCores} CPU cores, GPU: ${hardware.gpu.length ? hardware.gpu.join(", ") : "none found"} → ${recommended.label} (${recommended.model}): ${recommended.note}`,
  });

  let version: string | undefined;
  try {
    version = (await client.version()).version;
    checks.push({ name: "ollama", ok: true, detail: `Ollama ${version} answers at ${host}` });
  } catch (e) {
    const err = classifyOllamaError(e, { host, model, timeoutMs, numCtx });
    const fix = err.problem === "unreachable" ? `start it: \`ollama serve\` (or set OLLAMA_HOST to where it listens); not installed? ${INSTALL_HINT}` : err.fix;
    checks.push({ name: "ollama", ok: false, detail: err.summary, fix });
    return { hardware, recommended, model, host, checks, ok: false };
  }

  let pulled: Set<string>;
  try {
    pulled = new Set((await client.list()).models.map((m) => canonical(m.name)));
  } catch (e) {
    const err = classifyOllamaError(e, { host, model, timeoutMs, numCtx });
    checks.push({ name: "model", ok: false, detail: `cannot list the pulled models: ${err.summary}`, fix: err.fix });
    return { hardware, recommended, model, host, checks, ok: false };
  }
  const isPulled = pulled.has(canonical(model));
  checks.push({
    name: "model",
    ok: isPulled,
    detail: isPulled ? `${model} is pulled` : `${model} is not pulled${pulled.size ? ` (pulled: ${[...pulled].join(", ")})` : " (no model is pulled)"}`,
    ...(isPulled ? {} : { fix: `ollama pull ${model}` }),
  });
  if (isPulled) {
    const ctxLen = await client.show({ model }).then(
      (s) => contextLength(s.model_info),
      () => undefined,
    );
    const fits = ctxLen === undefined || ctxLen >= numCtx;
    checks.push({
      name: "context",
      ok: fits,
      detail: ctxLen === undefined ? `${model} does not report its context length` : `${model} offers ${ctxLen} tokens of context; draft asks for ${numCtx}`,
      ...(fits ? {} : { fix: `use a model with a larger context (e.g. ${DEFAULT_MODEL}) or pass --num-ctx ${ctxLen}` }),
    });
  }
  if (canonical(recommended.model) !== canonical(model)) {
    const have = pulled.has(canonical(recommended.model));
    checks.push({
      name: "recommendation",
      ok: true,
      detail: `this machine suits ${recommended.model} (${recommended.label}); draft uses ${model}`,
      fix: `${have ? "" : `ollama pull ${recommended.model}, then `}export PROXMOX_CDK_MODEL=${recommended.model} (or draft --model ${recommended.model})`,
    });
  }
  return { hardware, recommended, model, host, checks, ok: checks.every((c) => c.ok) };
}

/** The report as lines: `ok`/`FAIL` per check, its fix indented below. */
export function formatDoctorReport(report: DoctorReport): string[] {
  const lines = report.checks.flatMap((c) => [`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`, ...(c.fix ? [`     fix: ${c.fix}`] : [])]);
  lines.push(
    report.ok
      ? `Ready: proxmox-cdk draft will use ${report.model} at ${report.host}.`
      : "Not ready: run the fix commands above, then `proxmox-cdk doctor` again.",
  );
  return lines;
}
