import * as net from "net";
import { Ollama } from "ollama";
import { ollamaHost } from "../../ai/ollama-chat";
import { startFakeOllama } from "../../ai/testing/fake-ollama";

describe("fake Ollama, as the official client sees it", () => {
  it("answers version, tags and show, and 404s an unknown model like Ollama", async () => {
    const fake = await startFakeOllama({ models: ["llama3.2:3b"], version: "0.9.9", contextLength: 32768 });
    const client = new Ollama({ host: fake.host });
    try {
      expect((await client.version()).version).toBe("0.9.9");
      expect((await client.list()).models.map((m) => m.name)).toEqual(["llama3.2:3b"]);
      const show = await client.show({ model: "llama3.2:3b" });
      expect((show.model_info as unknown as Record<string, unknown>)["llama.context_length"]).toBe(32768);
      await expect(client.show({ model: "nope:1b" })).rejects.toMatchObject({ status_code: 404, message: 'model "nope:1b" not found, try pulling it first' });
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/version", "GET /api/tags", "POST /api/show", "POST /api/show"]);
    } finally {
      await fake.stop();
    }
  });

  it("serves scripted generate replies, streamed as NDJSON or whole", async () => {
    const fake = await startFakeOllama({ models: ["llama3.1:8b"], replies: [{ content: "a".repeat(40) }, { content: "whole" }] });
    const client = new Ollama({ host: fake.host });
    try {
      const parts: string[] = [];
      for await (const p of await client.generate({ model: "llama3.1:8b", prompt: "hi", stream: true })) parts.push(p.response ?? "");
      expect(parts.join("")).toBe("a".repeat(40));
      expect(parts.length).toBeGreaterThan(2);
      const whole = await client.generate({ model: "llama3.1:8b", prompt: "again", stream: false });
      expect([whole.response, whole.done, whole.done_reason]).toEqual(["whole", true, "stop"]);
      expect(fake.requests.filter((r) => r.path === "/api/generate").map((r) => r.body?.prompt)).toEqual(["hi", "again"]);
    } finally {
      await fake.stop();
    }
  });

  it("answers a chat with an exhausted script with a 500 the client reports", async () => {
    const fake = await startFakeOllama();
    try {
      await expect(new Ollama({ host: fake.host }).chat({ model: "llama3.1:8b", messages: [], stream: false })).rejects.toMatchObject({
        status_code: 500,
        message: "fake-ollama: no scripted reply left",
      });
    } finally {
      await fake.stop();
    }
  });
});

describe("OLLAMA_HOST", () => {
  it.each([
    [undefined, "http://127.0.0.1:11434"],
    ["", "http://127.0.0.1:11434"],
    ["127.0.0.1:9999", "http://127.0.0.1:9999"],
    ["0.0.0.0", "http://127.0.0.1:11434"],
    ["localhost", "http://localhost:11434"],
    ["https://ollama.internal", "https://ollama.internal"],
    ["http://10.0.0.5:11434/", "http://10.0.0.5:11434"],
  ])("%j is reached at %s", (value, url) => {
    expect(ollamaHost(undefined, value === undefined ? {} : { OLLAMA_HOST: value })).toBe(url);
  });
});

describe("fake Ollama connections", () => {
  it("keeps an idle connection open between calls, as Ollama's Go server does, so a reused connection is never closed under a request", async () => {
    // GIVEN one keep-alive connection that has had an answer
    const fake = await startFakeOllama();
    const socket = net.connect(Number(new URL(fake.host).port), "127.0.0.1");
    let received = "";
    let closed = false;
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    socket.on("close", () => (closed = true));
    const request = "GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
    const answers = () => received.split("HTTP/1.1 200 OK").length - 1;
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.write(request);
      await until(() => answers() === 1);
      expect(answers()).toBe(1);
      // WHEN it stays idle longer than a Node server's default keep-alive timeout (5 s, closed after
      // about 6 s) — a draft's repair round checking a candidate on a loaded machine can take that
      // long between two chat calls
      await new Promise((r) => setTimeout(r, 7_000));
      // THEN the server has not closed it, and it answers the next request on it
      expect(closed).toBe(false);
      socket.write(request);
      await until(() => answers() === 2 || closed);
      expect({ answers: answers(), closed }).toEqual({ answers: 2, closed: false });
    } finally {
      socket.destroy();
      await fake.stop();
    }
  });
});
