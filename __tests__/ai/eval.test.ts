import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { loadEvalSet } from "../../ai/eval/eval-set";
import { checkExpectations, Expectation } from "../../ai/eval/expectations";
import { evalMain } from "../../ai/eval/run-eval";
import { loadSiteFacts } from "../../ai/site-facts";
import { startFakeOllama } from "../../ai/testing/fake-ollama";
import { loadEnvironment, resolveDefaults, validateEnvironment } from "../../envspec";
import { shopSpec } from "./fixtures";

const REPO = path.join(__dirname, "..", "..");
const prod = () => resolveDefaults(loadEnvironment(path.join(REPO, "environments", "prod.yaml")));

/** environments/prod.yaml with a change, resolved. */
function prodWith(change: (spec: any) => void) {
  const spec = JSON.parse(JSON.stringify(loadEnvironment(path.join(REPO, "environments", "prod.yaml"))));
  change(spec);
  const v = validateEnvironment(spec);
  if (!v.success) throw new Error(JSON.stringify(v.issues));
  return resolveDefaults(v.spec);
}

const PROD_EXPECTATION: Expectation = {
  stage: "prod",
  network: "sdn",
  totalVms: 9,
  tiers: [
    { match: "web.*", count: 3 },
    { match: "db.*", count: 2 },
    { match: "bastion", count: 1 },
  ],
  exposedToWorld: ["https"],
  notExposedToWorld: ["ssh", "postgres"],
  allow: [{ from: "web", to: "app", port: "tcp/8080" }],
  onlyFrom: [
    { to: "db", port: "postgres", from: "app" },
    { to: ".*", port: "ssh", from: "bastion" },
  ],
  backups: true,
  ha: true,
  protection: true,
};

async function closedHost(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe("AI evaluation", () => {
  it("has at least 25 requests with well-formed expectations", () => {
    const cases = loadEvalSet();
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.find((c) => c.id === "shop-prod")?.request).toBe("three web servers behind a bastion, postgres only reachable from web, prod");
  });

  it("passes the example prod environment against expectations it meets", () => {
    expect(checkExpectations(prod(), PROD_EXPECTATION)).toEqual([]);
  });

  it("names every expectation a spec misses", () => {
    // GIVEN prod with ssh open to the world through a raw range, web reaching postgres, one web server fewer
    const env = prodWith((s) => {
      s.firewall.expose.push({ tier: "web", port: "tcp/20-25", from: "0.0.0.0/0" });
      s.firewall.allow.push({ from: "web", to: "db", port: "postgres" });
      s.tiers.web.count = 2;
    });

    // THEN each miss is reported
    expect(checkExpectations(env, PROD_EXPECTATION)).toEqual([
      "tiers /web.*/: expected 3 VM(s), got 2",
      "totalVms: expected 9, got 8",
      "notExposedToWorld: ssh is open to 0.0.0.0/0 on tier web (tcp/20-25)",
      "onlyFrom: web may reach db on postgres; only /app/ should",
      "onlyFrom: web tcp/20-25 is exposed to 0.0.0.0/0; only /bastion/ should reach it",
    ]);
  });

  it("matches tier names whole, not as substrings", () => {
    expect(checkExpectations(prod(), { tiers: [{ match: "we" }] })).toEqual(["tiers: none matches /we/ (tiers: bastion, web, app, db)"]);
  });

  it("skips cleanly when no Ollama listens", async () => {
    const lines: string[] = [];
    const host = await closedHost();
    const code = await evalMain([], { OLLAMA_HOST: host }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toEqual([
      `eval:ai skipped: no Ollama answers at ${host} (unreachable). To run it: \`ollama serve\`, \`ollama pull llama3.1:8b\`, and set OLLAMA_HOST if it listens elsewhere.`,
    ]);
  });

  it("skips cleanly when the model is not pulled", async () => {
    const fake = await startFakeOllama({ models: [] });
    const lines: string[] = [];
    try {
      expect(await evalMain(["--model", "llama3.2:3b"], { OLLAMA_HOST: fake.host }, (l) => lines.push(l))).toBe(0);
      expect(lines.join("\n")).toContain("eval:ai skipped: model llama3.2:3b is not pulled");
      expect(fake.chatBodies()).toHaveLength(0);
    } finally {
      await fake.stop();
    }
  });

  it("reports pass rate, repair rounds and latency, and fails under --min-pass-rate", async () => {
    // GIVEN a model that answers shop-prod well after one repair, and then answers it with only 2 web servers
    const facts = loadSiteFacts(REPO);
    const good = JSON.stringify(shopSpec(facts));
    const small = shopSpec(facts);
    small.tiers.web.count = 2;
    const fake = await startFakeOllama({ replies: [{ content: "not json" }, { content: good }, { content: JSON.stringify(small) }] });
    const lines: string[] = [];
    try {
      // WHEN evaluating shop-prod twice
      const env = { OLLAMA_HOST: fake.host };
      const first = await evalMain(["--only", "shop-prod"], env, (l) => lines.push(l));
      const second = await evalMain(["--only", "shop-prod", "--min-pass-rate", "1"], env, (l) => lines.push(l));

      // THEN the first passes with one repair round, the second fails naming the miss
      expect([first, second]).toEqual([0, 1]);
      const text = lines.join("\n");
      expect(text).toMatch(/PASS shop-prod +answers 2 +\d+\.\d s/);
      expect(text).toContain("pass rate 1/1 (100%), mean repair rounds 1.00, median latency");
      expect(text).toContain("tiers /web.*|frontend.*/: expected 3 VM(s), got 2");
      expect(text).toContain("pass rate 0/1 (0%)");
    } finally {
      await fake.stop();
    }
  });
});
