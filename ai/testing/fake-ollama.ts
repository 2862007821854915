import * as http from "http";
import type { AddressInfo } from "net";
import { z } from "zod";

/** A chat message as the fake reads it (other fields kept as sent). */
const CHAT_MESSAGE = z.looseObject({ role: z.string(), content: z.string() });

/** A request body as the fake reads it: the fields it and its tests look at are typed, the rest kept as sent. */
const REQUEST_BODY = z.looseObject({
  model: z.string().optional(),
  stream: z.boolean().optional(),
  prompt: z.string().optional(),
  messages: z.array(CHAT_MESSAGE).optional(),
});

/** A parsed request body. */
export type OllamaRequestBody = z.infer<typeof REQUEST_BODY>;

/** A `/api/chat` request body (one with messages). */
export type ChatRequestBody = OllamaRequestBody & { readonly messages: z.infer<typeof CHAT_MESSAGE>[] };

const isChatBody = (body: OllamaRequestBody | undefined): body is ChatRequestBody => body?.messages !== undefined;

/** One scripted answer of the fake to a `/api/chat` or `/api/generate` call. */
export interface ScriptedReply {
  /** The assistant's text (chat) or the response (generate). @default "" */
  readonly content?: string;
  /** Answer with this HTTP status and `{ error }` instead of a reply. @default 200 */
  readonly status?: number;
  /** Error text for a non-200 status. @default "scripted error" */
  readonly error?: string;
  /** Wait this long before answering (for timeouts). @default 0 */
  readonly delayMs?: number;
  /** `done_reason` of the final message ("length" = cut off by the context window). @default "stop" */
  readonly doneReason?: string;
}

/** A request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Parsed JSON body (undefined for GET). */
  readonly body: OllamaRequestBody | undefined;
}

/** Options of {@link startFakeOllama}. */
export interface FakeOllamaOptions {
  /** Models it reports as pulled; others get Ollama's 404 "not found, try pulling it first". @default ["llama3.1:8b"] */
  readonly models?: readonly string[];
  /** `/api/version`. @default "0.12.0" */
  readonly version?: string;
  /** Context length `/api/show` reports. @default 131072 */
  readonly contextLength?: number;
  /** Answers to chat/generate calls, used in order. @default none (every call gets a 500) */
  readonly replies?: readonly ScriptedReply[];
}

/** A running fake. */
export interface FakeOllama {
  /** Base URL (`http://127.0.0.1:<port>`), for OLLAMA_HOST. */
  readonly host: string;
  /** Every request, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Bodies of the `/api/chat` requests, in order. */
  chatBodies(): ChatRequestBody[];
  /** Adds answers to the script. */
  enqueue(...replies: ScriptedReply[]): void;
  stop(): Promise<void>;
}

const canonical = (m: string) => (m.includes(":") ? m : `${m}:latest`);

/**
 * An Ollama-protocol server on 127.0.0.1 (ephemeral port) for tests: `/api/chat` and
 * `/api/generate` (NDJSON streaming unless `stream: false`, as Ollama does), `/api/tags`,
 * `/api/version`, `/api/show`. Answers come from a script; every request is recorded.
 */
export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models = (opts.models ?? ["llama3.1:8b"]).map(canonical);
  const script: ScriptedReply[] = [...(opts.replies ?? [])];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: http.ServerResponse, model: string) => json(res, 404, { error: `model "${model}" not found, try pulling it first` });

  const answer = (res: http.ServerResponse, kind: "chat" | "generate", body: OllamaRequestBody) => {
    const model = body.model ?? "";
    if (!models.includes(canonical(model))) return notFound(res, model);
    const reply = script.shift() ?? { status: 500, error: "fake-ollama: no scripted reply left" };
    const send = () => {
      if (res.destroyed) return;
      if (reply.status && reply.status !== 200) return json(res, reply.status, { error: reply.error ?? "scripted error" });
      const content = reply.content ?? "";
      const base = { model, created_at: new Date().toISOString() };
      const piece = (text: string) => (kind === "chat" ? { message: { role: "assistant", content: text } } : { response: text });
      const final = {
        ...base,
        ...piece(""),
        done: true,
        done_reason: reply.doneReason ?? "stop",
        total_duration: 1_000_000,
        load_duration: 0,
        prompt_eval_count: JSON.stringify(body).length >> 2,
        prompt_eval_duration: 1,
        eval_count: content.length >> 2,
        eval_duration: 1,
      };
      if (body.stream === false) return json(res, 200, { ...final, ...piece(content) });
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      for (let i = 0; i < content.length; i += 16) res.write(JSON.stringify({ ...base, ...piece(content.slice(i, i + 16)), done: false }) + "\n");
      res.end(JSON.stringify(final) + "\n");
    };
    if (!reply.delayMs) return send();
    const t = setTimeout(() => {
      timers.delete(t);
      send();
    }, reply.delayMs);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : {};
      } catch {
        return json(res, 400, { error: "invalid JSON body" });
      }
      const parsed = REQUEST_BODY.safeParse(data);
      if (!parsed.success) return json(res, 400, { error: `invalid request body: ${parsed.error.message}` });
      const body = parsed.data;
      const path = (req.url ?? "/").split("?")[0];
      requests.push({ method: req.method ?? "GET", path, body: req.method === "GET" ? undefined : body });
      const route = `${req.method} ${path}`;
      if (route === "GET /api/version") return json(res, 200, { version: opts.version ?? "0.12.0" });
      if (route === "GET /api/tags") {
        return json(res, 200, {
          models: models.map((name) => ({
            name,
            model: name,
            modified_at: new Date(0).toISOString(),
            size: 4_920_753_328,
            digest: "0".repeat(64),
            details: { format: "gguf", family: "llama", families: ["llama"], parameter_size: "8.0B", quantization_level: "Q4_K_M" },
          })),
        });
      }
      if (route === "POST /api/show") {
        const model = body.model ?? "";
        if (!models.includes(canonical(model))) return notFound(res, model);
        return json(res, 200, {
          license: "",
          modelfile: "",
          parameters: "",
          template: "",
          details: { format: "gguf", family: "llama", parameter_size: "8.0B", quantization_level: "Q4_K_M" },
          model_info: { "general.architecture": "llama", "llama.context_length": opts.contextLength ?? 131072 },
          capabilities: ["completion", "tools"],
        });
      }
      if (route === "POST /api/chat") return answer(res, "chat", body);
      if (route === "POST /api/generate") return answer(res, "generate", body);
      json(res, 404, { error: `fake-ollama: no route ${route}` });
    });
  });
  // Ollama's server (Go net/http, no IdleTimeout) keeps an idle connection open until the client
  // closes it. A Node server closes it after keepAliveTimeout (5 s, about 6 s in practice): when a
  // draft's repair round takes about that long (a loaded machine), a call the client sends on the
  // pooled connection as the fake closes it fails with "fetch failed" (the request is never read).
  // Here only the client closes idle connections, so that race cannot happen.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host: `http://127.0.0.1:${port}`,
    requests,
    chatBodies: () =>
      requests
        .filter((r) => r.path === "/api/chat")
        .map((r) => r.body)
        .filter(isChatBody),
    enqueue: (...replies) => void script.push(...replies),
    stop: async () => {
      timers.forEach((t) => clearTimeout(t));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
