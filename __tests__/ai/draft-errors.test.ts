import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { DRAFT_EXIT } from "../../ai/draft";
import { FakeOllama, ScriptedReply, startFakeOllama } from "../../ai/testing/fake-ollama";
import { parseArgs } from "../../cli/args";
import { createDraftCommand } from "../../cli/commands/draft";
import { environmentFiles, factsOf, recordingPlanner, shopSpec, SHOP_REQUEST, tempProject } from "./fixtures";

/** Runs `proxmox-cdk draft` as the CLI does, against `host`, in a temp project. */
async function cli(host: string, root: string, argv: string[]) {
  const lines: string[] = [];
  const planner = recordingPlanner();
  const command = createDraftCommand({ root: () => root, planner, environment: { OLLAMA_HOST: host }, log: (l) => lines.push(l), progress: false });
  const code = await command.run(parseArgs(argv, command.args), argv);
  return { code, text: lines.join("\n"), planner };
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function withFake(replies: ScriptedReply[], body: (fake: FakeOllama, root: string) => Promise<void>, models?: string[]) {
  const fake = await startFakeOllama({ replies, ...(models ? { models } : {}) });
  try {
    await body(fake, tempProject());
  } finally {
    await fake.stop();
  }
}

describe("draft errors", () => {
  it("tells how to start Ollama when nothing listens, and writes nothing", async () => {
    // GIVEN no Ollama at the host
    const root = tempProject();
    const before = environmentFiles(root);
    const host = `http://127.0.0.1:${await closedPort()}`;

    // WHEN drafting
    const { code, text } = await cli(host, root, [SHOP_REQUEST]);

    // THEN exit 3 with the fix, nothing written, no failure report (there was no answer)
    expect(code).toBe(DRAFT_EXIT.modelError);
    expect(text).toContain(`Ollama is not reachable at ${host} (ECONNREFUSED): start it with \`ollama serve\` or set OLLAMA_HOST`);
    expect(environmentFiles(root)).toEqual(before);
    expect(fs.existsSync(path.join(root, ".state", "drafts"))).toBe(false);
  });

  it("tells which model to pull when the model is missing", () =>
    withFake([], async (fake, root) => {
      // WHEN drafting with a model the server does not have
      const { code, text } = await cli(fake.host, root, [SHOP_REQUEST, "--model", "qwen2.5:7b"]);

      // THEN exit 3 naming `ollama pull`
      expect(code).toBe(DRAFT_EXIT.modelError);
      expect(text).toContain('Model "qwen2.5:7b" is not available');
      expect(text).toContain("run `ollama pull qwen2.5:7b`");
      expect(fs.existsSync(path.join(root, "environments", "shop.yaml"))).toBe(false);
    }));

  it("gives up after --timeout and says how to wait longer", () =>
    withFake([{ content: "{}", delayMs: 5000 }], async (fake, root) => {
      // WHEN the model takes longer than a 1 s timeout
      const started = Date.now();
      const { code, text } = await cli(fake.host, root, [SHOP_REQUEST, "--timeout", "1"]);

      // THEN exit 3 within about a second, with the fix
      expect(Date.now() - started).toBeLessThan(4000);
      expect(code).toBe(DRAFT_EXIT.modelError);
      expect(text).toContain("did not answer within 1 s");
      expect(text).toContain("retry with --timeout 60");
      expect(fs.existsSync(path.join(root, "environments", "shop.yaml"))).toBe(false);
    }));

  it("explains a context overflow reported by Ollama", () =>
    withFake([{ status: 400, error: "request (9120 tokens) exceeds the available context size (8192 tokens), try increasing it" }], async (fake, root) => {
      // WHEN Ollama refuses the over-long prompt
      const { code, text } = await cli(fake.host, root, [SHOP_REQUEST]);

      // THEN exit 3 naming num_ctx and the flag that raises it; truncation was off in the request
      expect(code).toBe(DRAFT_EXIT.modelError);
      expect(text).toContain("does not fit the model's context window (num_ctx 8192)");
      expect(text).toContain("--num-ctx 16384");
      expect(fake.chatBodies()[0].truncate).toBe(false);
    }));

  it("treats a reply cut off by the context window as a context problem, not a bad answer", () =>
    withFake([{ content: '{"name": "shop", "tiers": {', doneReason: "length" }], async (fake, root) => {
      // WHEN the reply ends with done_reason "length"
      const { code, text } = await cli(fake.host, root, [SHOP_REQUEST, "--num-ctx", "4096"]);

      // THEN no repair round is wasted on it
      expect(code).toBe(DRAFT_EXIT.modelError);
      expect(fake.chatBodies()).toHaveLength(1);
      expect(text).toMatch(/the reply was cut off after \d+ tokens \(done_reason "length"\)/);
      expect(text).toContain("--num-ctx 8192");
    }));

  it("refuses to replace an existing environment, before asking the model when --name is given", () =>
    withFake([], async (fake, root) => {
      // GIVEN environments/prod.yaml exists
      const before = fs.readFileSync(path.join(root, "environments", "prod.yaml"), "utf8");

      // WHEN drafting --name prod without --force
      const { code, text } = await cli(fake.host, root, [SHOP_REQUEST, "--name", "prod"]);

      // THEN exit 4, nothing asked, nothing changed
      expect(code).toBe(DRAFT_EXIT.exists);
      expect(text).toContain("environments/prod.yaml already exists: nothing was written. Pass --force to replace it");
      expect(fake.chatBodies()).toHaveLength(0);
      expect(fs.readFileSync(path.join(root, "environments", "prod.yaml"), "utf8")).toBe(before);
    }));

  it("refuses to replace an environment the model named after an existing one", async () => {
    // GIVEN a model that names its spec "prod"
    const root = tempProject();
    const spec = { ...shopSpec(factsOf(root)), name: "prod" };
    const before = fs.readFileSync(path.join(root, "environments", "prod.yaml"), "utf8");
    await withFake([{ content: JSON.stringify(spec) }], async (fake) => {
      // WHEN drafting without --force
      const { code, planner } = await cli(fake.host, root, [SHOP_REQUEST]);

      // THEN exit 4 and prod.yaml is untouched and unplanned
      expect(code).toBe(DRAFT_EXIT.exists);
      expect(planner.calls).toEqual([]);
      expect(fs.readFileSync(path.join(root, "environments", "prod.yaml"), "utf8")).toBe(before);
    });
  });

  it("replaces an existing environment with --force", () =>
    withFake([], async (fake, root) => {
      // GIVEN a good answer, forced to the name prod
      fake.enqueue({ content: JSON.stringify(shopSpec(factsOf(root))) });

      // WHEN drafting --name prod --force
      const { code, planner } = await cli(fake.host, root, [SHOP_REQUEST, "--name", "prod", "--force"]);

      // THEN prod.yaml now holds the draft, and it was planned
      expect(code).toBe(DRAFT_EXIT.ok);
      const text = fs.readFileSync(path.join(root, "environments", "prod.yaml"), "utf8");
      expect(text).toMatch(/^# Drafted by proxmox-cdk draft/);
      expect(text).toContain("name: prod\n");
      expect(planner.calls.map((c) => c.env)).toEqual(["prod"]);
    }));
});
