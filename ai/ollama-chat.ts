import type { ChatRequest, ChatResponse, Ollama } from "ollama";
import { classifyOllamaError, contextTooLong, OllamaCallContext } from "./ollama-error";

/** One chat message. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/** One chat call. */
export interface ChatCall {
  readonly messages: readonly ChatMessage[];
  /** JSON Schema the reply must follow (Ollama structured outputs). @default free text */
  readonly format?: Readonly<Record<string, unknown>>;
  /** Called as a streamed reply grows, with the characters received so far. @default none */
  readonly onProgress?: (chars: number) => void;
}

/** A model's reply. */
export interface ChatReply {
  readonly content: string;
  /** Tokens of the prompt as the server counted them, when it says. */
  readonly promptTokens?: number;
  /** Tokens generated, when the server says. */
  readonly outputTokens?: number;
  readonly durationMs: number;
}

/** A chat model: the only thing the drafting pipeline knows about Ollama. */
export interface ChatModel {
  /** Model name, e.g. `llama3.1:8b`. */
  readonly name: string;
  /** Where it is served, e.g. `http://127.0.0.1:11434`. */
  readonly host: string;
  chat(call: ChatCall): Promise<ChatReply>;
}

/** The model used when neither --model nor PROXMOX_CDK_MODEL says otherwise. */
export const DEFAULT_MODEL = "llama3.1:8b";
/** Where Ollama listens unless OLLAMA_HOST says otherwise. */
export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

/** Options of {@link ollamaChatModel}. */
export interface OllamaChatOptions {
  /** Model name. @default PROXMOX_CDK_MODEL, else {@link DEFAULT_MODEL} */
  readonly model?: string;
  /** Ollama base URL. @default OLLAMA_HOST, else {@link DEFAULT_OLLAMA_HOST} */
  readonly host?: string;
  /** Deadline of one call (connect, prompt evaluation and the whole reply). @default 120000 */
  readonly timeoutMs?: number;
  /**
   * Context window requested from Ollama. Kept constant: every change reloads the model.
   * @default 8192
   */
  readonly numCtx?: number;
  /** Stream replies (progress via ChatCall.onProgress) instead of waiting for the whole reply. @default false */
  readonly stream?: boolean;
  /** Environment to read OLLAMA_HOST / PROXMOX_CDK_MODEL from. @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
}

/** The model name from the option, PROXMOX_CDK_MODEL, or the default. */
export function modelName(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  return option ?? (environment.PROXMOX_CDK_MODEL || DEFAULT_MODEL);
}

/** The Ollama base URL from the option, OLLAMA_HOST (`host:port` allowed), or the default. */
export function ollamaHost(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  const raw = option ?? (environment.OLLAMA_HOST || DEFAULT_OLLAMA_HOST);
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  const url = new URL(withScheme);
  // Ollama itself treats OLLAMA_HOST=0.0.0.0 as "listen everywhere"; a client reaches it locally.
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  if (!url.port && !/^[a-z]+:\/\//i.test(raw)) url.port = "11434";
  return url.toString().replace(/\/$/, "");
}

/** An ollama client whose every request (streamed or not) is bounded by `timeoutMs`. */
export function ollamaClient(host: string, timeoutMs: number): Ollama {
  const bounded: typeof fetch = (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
  const { Ollama: Client } = loadOllama();
  return new Client({ host, fetch: bounded });
}

/**
 * The `ollama` client package, loaded on first use: it is an optional peer dependency of
 * proxmox-cdk, needed only by the AI helper, so nothing else (the constructs, the other CLI
 * commands) requires it to be installed.
 */
function loadOllama(): typeof import("ollama") {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("ollama") as typeof import("ollama");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
    throw new Error("the AI helper needs the `ollama` package, an optional peer dependency of proxmox-cdk: run `npm install ollama@^0.6.4` in your project.");
  }
}

/**
 * A {@link ChatModel} served by Ollama through the official client: temperature 0, a fixed
 * `num_ctx`, and `truncate: false` so that an over-long conversation fails loudly instead of
 * Ollama silently dropping its beginning (the system prompt).
 */
export function ollamaChatModel(opts: OllamaChatOptions = {}): ChatModel {
  const env = opts.environment ?? process.env;
  const ctx: OllamaCallContext = {
    host: ollamaHost(opts.host, env),
    model: modelName(opts.model, env),
    timeoutMs: opts.timeoutMs ?? 120_000,
    numCtx: opts.numCtx ?? 8192,
  };
  const client = ollamaClient(ctx.host, ctx.timeoutMs);
  return {
    name: ctx.model,
    host: ctx.host,
    async chat(call) {
      const started = Date.now();
      // `truncate` is newer than the client's types; the client sends the request object as is.
      const request: ChatRequest & { truncate: boolean } = {
        model: ctx.model,
        messages: call.messages.map((m) => ({ role: m.role, content: m.content })),
        ...(call.format ? { format: call.format } : {}),
        options: { temperature: 0, num_ctx: ctx.numCtx },
        truncate: false,
      };
      let last: ChatResponse | undefined;
      let content = "";
      try {
        if (opts.stream) {
          const stream = await client.chat({ ...request, stream: true });
          for await (const part of stream) {
            content += part.message?.content ?? "";
            call.onProgress?.(content.length);
            last = part;
          }
        } else {
          last = await client.chat({ ...request, stream: false });
          content = last.message?.content ?? "";
        }
      } catch (e) {
        throw classifyOllamaError(e, ctx);
      }
      if (last?.done_reason === "length") {
        throw contextTooLong(ctx, `the reply was cut off after ${last.eval_count ?? "?"} tokens (done_reason "length")`);
      }
      return { content, promptTokens: last?.prompt_eval_count, outputTokens: last?.eval_count, durationMs: Date.now() - started };
    },
  };
}
