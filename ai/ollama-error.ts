/** Why a call to Ollama failed, as far as the fix is concerned. */
export type OllamaProblem = "unreachable" | "model-missing" | "timeout" | "context-too-long" | "server-error";

/** A failed call to Ollama; the message is `<summary>: <fix>`. */
export class OllamaError extends Error {
  constructor(
    readonly problem: OllamaProblem,
    /** What went wrong, naming the host, model or limit. */
    readonly summary: string,
    /** The command or setting that fixes it. */
    readonly fix: string,
  ) {
    super(`${summary}: ${fix}`);
    this.name = "OllamaError";
  }
}

/** What the messages need to name: where Ollama was asked, for which model, with which limits. */
export interface OllamaCallContext {
  readonly host: string;
  readonly model: string;
  readonly timeoutMs: number;
  readonly numCtx: number;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
const CONTEXT = /context (length|size|window)|num_ctx|exceed_context_size|prompt is (too )?long/i;

/** The error and its causes, outermost first (fetch wraps the socket error in `cause`). */
function causeChain(e: unknown): { name?: string; code?: string; message?: string; status_code?: number }[] {
  const out: { name?: string; code?: string; message?: string; status_code?: number }[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 6 && typeof cur === "object" && cur !== null; i++) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/** The message for a reply cut off by the context window (`done_reason: "length"`). */
export function contextTooLong(ctx: OllamaCallContext, detail: string): OllamaError {
  return new OllamaError(
    "context-too-long",
    `The conversation does not fit the model's context window (num_ctx ${ctx.numCtx}): ${detail}`,
    `raise it with --num-ctx ${ctx.numCtx * 2} (more memory), shorten the request, or use a model with a larger context.`,
  );
}

/** Turns whatever the ollama client threw into an {@link OllamaError} naming the fix. */
export function classifyOllamaError(e: unknown, ctx: OllamaCallContext): OllamaError {
  if (e instanceof OllamaError) return e;
  const chain = causeChain(e);
  const seconds = Math.round(ctx.timeoutMs / 1000);
  if (chain.some((c) => c.name === "TimeoutError")) {
    return new OllamaError(
      "timeout",
      `Ollama at ${ctx.host} did not answer within ${seconds} s (model "${ctx.model}")`,
      `the first request loads the model, which can take minutes on a CPU: retry with --timeout ${Math.max(seconds * 3, 60)}, ` +
        "or use a smaller model (`proxmox-cdk doctor` recommends one).",
    );
  }
  const code = chain.map((c) => c.code).find((c) => c !== undefined && UNREACHABLE.has(c));
  if (code) {
    return new OllamaError(
      "unreachable",
      `Ollama is not reachable at ${ctx.host} (${code})`,
      "start it with `ollama serve` or set OLLAMA_HOST to where it listens. Not installed? Get it from https://ollama.com/download, then run `proxmox-cdk doctor`.",
    );
  }
  const message = chain.map((c) => c.message).find((m) => m) ?? String(e);
  const status = chain.map((c) => c.status_code).find((s) => s !== undefined);
  if (status === 404 || /model .*not found/i.test(message)) {
    return new OllamaError(
      "model-missing",
      `Model "${ctx.model}" is not available on the Ollama at ${ctx.host} (${message})`,
      `run \`ollama pull ${ctx.model}\`, or pick a pulled model with --model (\`ollama list\` shows them).`,
    );
  }
  if (CONTEXT.test(message)) return contextTooLong(ctx, message);
  return new OllamaError(
    "server-error",
    `Ollama at ${ctx.host} failed (model "${ctx.model}"${status ? `, HTTP ${status}` : ""}): ${message}`,
    "see the Ollama server's log (`journalctl -u ollama` on Linux) and retry.",
  );
}
