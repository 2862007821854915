import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { RunningConsole, startConsole } from "../../ui/console-server";
import { allowedHost, allowedOrigin, CONTENT_SECURITY_POLICY, cookieValue, sameSecret, SessionStore, validCsrf } from "../../ui/security";

const REPO = path.resolve(__dirname, "..", "..");

describe("token, session and CSRF checks", () => {
  it("compares secrets exactly, whatever their length", () => {
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abd", "abc")).toBe(false);
    expect(sameSecret("abc", "abcd")).toBe(false);
    expect(sameSecret("", "abc")).toBe(false);
    expect(sameSecret(undefined, "abc")).toBe(false);
  });

  it("opens a session only with the access token and finds it again by its cookie", () => {
    // GIVEN a store with an access token
    const store = new SessionStore("the-token");

    // WHEN a wrong and the right token are tried
    const wrong = store.open("not-the-token");
    const session = store.open("the-token")!;

    // THEN only the right one opens a session, which its cookie names
    expect(wrong).toBeUndefined();
    expect(store.fromCookie(`other=1; pcdk_session=${session.id}`)).toEqual(session);
    expect(store.fromCookie(`pcdk_session=${session.id}x`)).toBeUndefined();
    expect(store.fromCookie(undefined)).toBeUndefined();
  });

  it("accepts a form only with the session's own CSRF token", () => {
    const store = new SessionStore("t");
    const a = store.open("t")!;
    const b = store.open("t")!;
    expect(validCsrf(a, a.csrf)).toBe(true);
    expect(validCsrf(a, b.csrf)).toBe(false);
    expect(validCsrf(a, undefined)).toBe(false);
  });

  it("accepts only the console's own host and origin (DNS rebinding, cross-site posts)", () => {
    expect(allowedHost("127.0.0.1:8080", 8080)).toBe(true);
    expect(allowedHost("localhost:8080", 8080)).toBe(true);
    expect(allowedHost("evil.example:8080", 8080)).toBe(false);
    expect(allowedHost("127.0.0.1:8081", 8080)).toBe(false);
    expect(allowedHost(undefined, 8080)).toBe(false);
    expect(allowedOrigin(undefined, 8080)).toBe(true);
    expect(allowedOrigin("http://127.0.0.1:8080", 8080)).toBe(true);
    expect(allowedOrigin("http://evil.example", 8080)).toBe(false);
  });

  it("reads one cookie among several", () => {
    expect(cookieValue("a=1; pcdk_session=xyz; b=2", "pcdk_session")).toBe("xyz");
    expect(cookieValue("a=1", "pcdk_session")).toBeUndefined();
  });

  it("allows no inline script and nothing from other origins", () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request to the console with exactly these headers (Host included). */
function request(port: number, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: pathname, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the console server's gate", () => {
  let root: string;
  let ui: RunningConsole;
  let host: string;
  const token = "test-access-token-0123456789";

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "ui-gate-"));
    fs.mkdirSync(path.join(root, "environments"));
    fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), path.join(root, "environments", "dev.yaml"));
    ui = await startConsole({ root, token });
    host = `127.0.0.1:${ui.port}`;
  });
  afterAll(async () => {
    await ui.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function session(): Promise<{ cookie: string; csrf: string }> {
    const opened = await request(ui.port, "GET", `/new?token=${token}`, { Host: host });
    const cookie = String(opened.headers["set-cookie"]).split(";")[0];
    const page = await request(ui.port, "GET", "/new", { Host: host, Cookie: cookie });
    return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page.body)![1] };
  }

  it("listens on 127.0.0.1 and prints a URL with the access token", () => {
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/?token=${token}`);
  });

  it("refuses a request whose Host header names another site", async () => {
    const r = await request(ui.port, "GET", `/?token=${token}`, { Host: "rebound.example" });
    expect(r.status).toBe(421);
    expect(r.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses pages without a session and a wrong access token", async () => {
    expect((await request(ui.port, "GET", "/", { Host: host })).status).toBe(401);
    expect((await request(ui.port, "GET", "/?token=wrong", { Host: host })).status).toBe(401);
  });

  it("opens a session cookie (HttpOnly, SameSite=Strict) and drops the token from the address", async () => {
    const r = await request(ui.port, "GET", `/audit?env=dev&token=${token}`, { Host: host });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe("/audit?env=dev");
    expect(String(r.headers["set-cookie"])).toMatch(/^pcdk_session=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=\/$/);
  });

  it("sends the strict Content-Security-Policy with every page", async () => {
    const { cookie } = await session();
    const r = await request(ui.port, "GET", "/", { Host: host, Cookie: cookie });
    expect(r.status).toBe(200);
    expect(r.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(r.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });

  it("refuses a form without the session's CSRF token and writes nothing", async () => {
    // GIVEN a session
    const { cookie } = await session();

    // WHEN a valid-looking form is posted without the CSRF token, then with another value
    const form = "name=qa&stage=dev";
    const missing = await request(ui.port, "POST", "/new", { Host: host, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, form);
    const wrong = await request(
      ui.port,
      "POST",
      "/new",
      { Host: host, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      `${form}&csrf=guess`,
    );

    // THEN both are refused and no file appears
    expect([missing.status, wrong.status]).toEqual([403, 403]);
    expect(fs.existsSync(path.join(root, "environments", "qa.yaml"))).toBe(false);
  });

  it("refuses a form posted from another origin even with the right CSRF token", async () => {
    const { cookie, csrf } = await session();
    const r = await request(
      ui.port,
      "POST",
      "/env/dev/plan",
      { Host: host, Cookie: cookie, Origin: "http://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      `csrf=${csrf}`,
    );
    expect(r.status).toBe(403);
    expect(ui.runs.active()).toBeUndefined();
  });
});
